// The library grid: count, cards, filters picked from a chart, exports; a card opens the detail view.
import { expect, type Locator, type Page } from '@playwright/test';
import { download } from './app.ts';
import { Detail } from './detail.ts';

/** The results JSON export, as the tests read it (src/shared/export.ts resultsJson). */
export interface ExportedResults {
  images: ExportedImage[];
  errors: { file: string; code: string; message: string }[];
}
export interface ExportedImage {
  file: string;
  sha256: string;
  format: string;
  width: number;
  height: number;
  source?: { kind: string; product?: Record<string, string> };
  exif: ({ make?: string; model?: string } & Record<string, unknown>) | null;
  facts: { dhash: string; channels: number } | null;
  metadataOnly?: true;
  classification?: { modelId: string; top5: { label: string; prob: number }[]; backend: string };
  detection?: { objects: { label: string; score: number; x: number; y: number; width: number; height: number }[] };
}

export class Library {
  readonly count: Locator;
  readonly items: Locator;
  /** The filter a chart's bar picked ("camera: …"), with its clear button. */
  readonly pickChip: Locator;
  readonly showMore: Locator;
  readonly detail: Detail;

  constructor(readonly page: Page) {
    const id = (t: string) => page.getByTestId(t);
    this.count = id('library-count');
    this.items = id('library-item');
    this.pickChip = id('pick-chip');
    this.showMore = id('show-more');
    this.detail = new Detail(page);
  }

  item(name: string): Locator {
    return this.items.and(this.page.locator(`[data-name="${name}"]`));
  }

  /** Cards showing a content tag (alcohol, safe, …). */
  tagged(tag: string): Locator {
    return this.items.locator(`[data-tag="${tag}"]`);
  }

  metadataOnlyBadge(card: Locator): Locator {
    return card.getByTestId('metadata-only-badge');
  }

  async expectCount(n: number, timeout?: number): Promise<void> {
    await expect(this.count).toHaveText(String(n), { timeout });
  }

  async storedCount(): Promise<number> {
    return Number((await this.count.textContent()) ?? '0');
  }

  /** Opens a card (by file name, or the first) and returns the detail view. */
  async open(name?: string): Promise<Detail> {
    await (name ? this.item(name) : this.items.first()).click();
    await expect(this.detail.root).toBeVisible();
    return this.detail;
  }

  async clearPick(): Promise<void> {
    await this.pickChip.getByRole('button').click();
  }

  /** The card names, in grid order. */
  async names(): Promise<(string | null)[]> {
    return this.items.evaluateAll((els) => els.map((e) => e.getAttribute('data-name')));
  }

  async exportJson(): Promise<ExportedResults> {
    return JSON.parse((await download(this.page, () => this.page.getByTestId('export-json').click())).text()) as ExportedResults;
  }

  async exportCsv(): Promise<string> {
    return (await download(this.page, () => this.page.getByTestId('export-csv').click())).text();
  }

  /** The seed's product file with content tags (only when images came from a product list). */
  async exportProductList(): Promise<string> {
    return (await download(this.page, () => this.page.getByRole('button', { name: 'Export product list' }).click())).text();
  }
}
