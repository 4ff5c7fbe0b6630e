// URL lists: the seed's product catalogue (product_id, product_name, placeholder_image_url), the Unsplash
// Lite photos.tsv* files, or any CSV/TSV with an image-URL column. Parsing, column detection and turning
// rows into import jobs; pure, so it runs the same in the app, the tests and the batch command.
import { parseDelimited } from './csv';

export interface ColumnMapping {
  url: string;
  name?: string;
  id?: string;
}

export interface UrlTable {
  delimiter: ',' | '\t';
  header: string[];
  rows: string[][];
  /** Best guess at which column holds what; the user can change it. */
  mapping: ColumnMapping | null;
  kind: 'product-list' | 'unsplash' | 'generic';
}

export interface UrlRow {
  line: number;
  url: string;
  name: string;
  /** Every column of the row, kept as metadata with the image. */
  meta: Record<string, string>;
}

export interface RowError {
  line: number;
  message: string;
}

const URL_HINTS = ['placeholder_image_url', 'photo_image_url', 'image_url', 'imageurl', 'image', 'img', 'url', 'src', 'photo_url', 'link'];
const NAME_HINTS = ['product_name', 'name', 'title', 'photo_description', 'ai_description', 'description', 'file_name', 'filename'];
const ID_HINTS = ['product_id', 'photo_id', 'id', 'sku'];

const looksLikeUrl = (v: string) => /^(https?:)?\/\/\S+$|^\/\S+$/i.test(v.trim());

function pick(header: string[], hints: string[]): string | undefined {
  const lower = header.map((h) => h.trim().toLowerCase());
  for (const h of hints) {
    const i = lower.indexOf(h);
    if (i >= 0) return header[i];
  }
  return undefined;
}

/** Guesses the URL column by name, else by content (the column whose values look most like URLs). */
export function detectMapping(header: string[], rows: string[][]): ColumnMapping | null {
  let url = pick(header, URL_HINTS);
  if (!url) {
    const sample = rows.slice(0, 50);
    let best = -1;
    let bestScore = 0;
    header.forEach((_, c) => {
      const score = sample.filter((r) => looksLikeUrl(r[c] ?? '')).length;
      if (score > bestScore) [best, bestScore] = [c, score];
    });
    if (best < 0 || bestScore < Math.max(1, sample.length / 2)) return null;
    url = header[best];
  }
  return { url, name: pick(header, NAME_HINTS), id: pick(header, ID_HINTS) };
}

export function parseUrlTable(text: string, fileName = ''): UrlTable {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const delimiter: ',' | '\t' =
    /\.tsv\d*$/i.test(fileName) || (firstLine.includes('\t') && !firstLine.includes(',')) || firstLine.split('\t').length > firstLine.split(',').length
      ? '\t'
      : ',';
  let all: string[][];
  try {
    all = parseDelimited(text, delimiter);
  } catch (e) {
    throw new Error(`${fileName || 'the file'} could not be read as ${delimiter === '\t' ? 'TSV' : 'CSV'}: ${(e as Error).message}`, { cause: e });
  }
  const [header, ...rows] = all;
  if (!header || header.every((h) => !h.trim())) throw new Error(`${fileName || 'the file'} is empty: no header row`);
  const clean = rows.filter((r) => r.some((v) => v.trim() !== ''));
  const lower = header.map((h) => h.trim().toLowerCase());
  const kind = lower.includes('photo_image_url') ? 'unsplash' : lower.includes('placeholder_image_url') ? 'product-list' : 'generic';
  return {
    delimiter,
    header: header.map((h) => h.trim()),
    rows: clean,
    mapping: detectMapping(
      header.map((h) => h.trim()),
      clean,
    ),
    kind,
  };
}

/** Rows → URLs to fetch, resolving relative URLs against `base`; bad rows come back as errors with their line. */
export function toUrlRows(t: UrlTable, m: ColumnMapping, base: string): { rows: UrlRow[]; errors: RowError[] } {
  const col = (name: string | undefined) => (name ? t.header.indexOf(name) : -1);
  const [u, n, id] = [col(m.url), col(m.name), col(m.id)];
  if (u < 0) throw new Error(`the URL column '${m.url}' is not in the file (columns: ${t.header.join(', ')})`);
  const rows: UrlRow[] = [];
  const errors: RowError[] = [];
  t.rows.forEach((r, i) => {
    const line = i + 2; // 1-based, after the header
    const raw = (r[u] ?? '').trim();
    if (r.length < t.header.length && r.length <= u)
      return void errors.push({ line, message: `row has ${r.length} columns, the header has ${t.header.length}` });
    if (!raw) return void errors.push({ line, message: `no URL in column '${m.url}'` });
    let url: URL;
    try {
      // Absolute, protocol-relative or path-absolute URLs only: a bare word is a data error, not a path.
      if (!/^[a-z][a-z\d+.-]*:|^\/|^\.\.?\//i.test(raw)) throw new Error();
      url = new URL(raw, base);
    } catch {
      return void errors.push({ line, message: `'${raw.slice(0, 80)}' is not a URL` });
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      return void errors.push({ line, message: `only http(s) URLs can be imported, not ${url.protocol}` });
    const meta = Object.fromEntries(t.header.map((h, c) => [h, r[c] ?? '']));
    const fallback = decodeURIComponent(url.pathname.split('/').pop() || url.hostname);
    const name = (n >= 0 && r[n]?.trim()) || (id >= 0 && r[id]?.trim()) || fallback;
    rows.push({ line, url: url.href, name, meta });
  });
  return { rows, errors };
}
