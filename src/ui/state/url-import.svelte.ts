// Importing images listed in a CSV/TSV (product catalogues, Unsplash Lite): parse, map columns, then hand
// lazy downloads to the normal batch, so progress, ETA, pause, cancel and per-file errors all apply.
import { DOWNLOAD_DEFAULTS, DownloadQueue } from '../../pipeline/download';
import type { BatchItem } from '../../pipeline/runner';
import type { FileError, ImageSource } from '../../shared/types';
import { parseUrlTable, toUrlRows, type ColumnMapping, type UrlRow, type UrlTable } from '../../shared/url-import';
import { batch } from './batch.svelte';

export class UrlImportState {
  table = $state.raw<UrlTable | null>(null);
  fileName = $state('');
  mapping = $state<ColumnMapping>({ url: '' });
  error = $state<string | null>(null);

  load(text: string, fileName: string): void {
    this.error = null;
    this.table = null;
    try {
      const t = parseUrlTable(text, fileName);
      this.table = t;
      this.fileName = fileName;
      this.mapping = t.mapping ?? { url: '' };
      if (!t.mapping) this.error = 'No column looks like image URLs: choose the URL column below.';
    } catch (e) {
      this.error = (e as Error).message;
    }
  }

  async loadFile(file: File): Promise<void> {
    this.load(await file.text(), file.name);
  }

  /** The demo catalogue the app serves itself (generated product images), so the flow works offline. */
  async loadDemo(): Promise<void> {
    const res = await fetch(new URL('demo/products.csv', location.href));
    if (!res.ok) return void (this.error = `demo catalogue not available (HTTP ${res.status})`);
    this.load(await res.text(), 'products.csv');
  }

  private source(t: UrlTable, r: UrlRow): ImageSource {
    if (t.kind === 'product-list')
      return {
        kind: 'product-list',
        url: r.url,
        product: {
          product_id: r.meta.product_id ?? '',
          product_name: r.meta.product_name ?? '',
          placeholder_image_url: r.meta.placeholder_image_url ?? r.url,
          local_image_path: r.name,
        },
      };
    return { kind: 'url', url: r.url, meta: r.meta };
  }

  start(): void {
    const t = this.table;
    if (!t) return;
    let parsed: ReturnType<typeof toUrlRows>;
    try {
      parsed = toUrlRows(t, this.mapping, location.href);
    } catch (e) {
      return void (this.error = (e as Error).message);
    }
    const queue = new DownloadQueue(
      parsed.rows.map((r) => r.url),
      DOWNLOAD_DEFAULTS,
    );
    const items: BatchItem[] = parsed.rows.map((r, i) => ({ file: () => queue.take(i, batch.signal), name: r.name, source: this.source(t, r) }));
    const errors: FileError[] = parsed.errors.map((e) => ({ file: `${this.fileName} line ${e.line}`, code: 'bad-url', message: e.message }));
    this.table = null;
    void batch.start(items, { errors });
  }
}

export const urlImport = new UrlImportState();
