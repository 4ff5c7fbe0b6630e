// Analytics over the library: one flat record per image, filters, and the counts every chart draws.
// Pure, so the analytics worker, the tests and the benchmark run the same code.
import type { ClassificationResult, DetectionResult, FacesResult, ImageRecord, ImportedBy } from './types';

export interface AnalyticsRecord {
  id: string;
  addedAt: number;
  /** 'YYYY-MM' of the date taken (EXIF) or, without one, of when it was added. */
  month: string;
  tag: string;
  label: string;
  objects: string[];
  people: string[];
  camera: string;
  lens: string;
  /** EXIF artist, else the data set's photographer (URL lists), else "imported by <profile name>", else ''. */
  creator: string;
  source: string;
  megapixels: number;
  /** Dominant colour as [hue bin 0..11, lightness bin 0..2], or null. */
  colour: [number, number] | null;
}

export interface Filters {
  from?: string;
  to?: string;
  tag?: string;
  label?: string;
  person?: string;
  source?: string;
}

export type Counts = [string, number][];

export interface Aggregates {
  total: number;
  labels: Counts;
  tags: Counts;
  objects: Counts;
  people: Counts;
  creators: Counts;
  cameras: Counts;
  lenses: Counts;
  months: Counts;
  megapixels: Counts;
  sources: Counts;
  /** 12 hue bins × 3 lightness bins (dark, mid, light). */
  colours: number[][];
}

export const MP_BUCKETS: [number, string][] = [
  [0.3, '< 0.3 MP'],
  [1, '0.3–1 MP'],
  [3, '1–3 MP'],
  [8, '3–8 MP'],
  [16, '8–16 MP'],
  [Infinity, '≥ 16 MP'],
];

function hueLight(hex: string): [number, number] | null {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) return null;
  const [r, g, b] = [1, 2, 3].map((i) => parseInt(m[i], 16) / 255);
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  const l = (max + min) / 2;
  let h = 0;
  if (max !== min) {
    const d = max - min;
    h = max === r ? ((g - b) / d + 6) % 6 : max === g ? (b - r) / d + 2 : (r - g) / d + 4;
  }
  return [Math.floor(h * 2) % 12, l < 0.33 ? 0 : l < 0.67 ? 1 : 2];
}

/**
 * Who made an image, for "Contributions by creator": the EXIF artist, else the photographer of the data set it
 * came from (Unsplash's `photographer_username`), else the local profile that imported it, labelled
 * "imported by <name>" so it reads differently from an author. `profileNames` (id → current name) follows
 * renames; a deleted profile keeps the name it had at import time.
 */
export function creatorOf(image: ImageRecord, profileNames?: ReadonlyMap<string, string>): string {
  const c = creatorSource(image);
  return typeof c === 'string' ? c : importedByLabel(c, profileNames);
}

/** The creator when it does not depend on profile names (artist, photographer, or ''), else the importer it names. */
export function creatorSource(image: ImageRecord): string | ImportedBy {
  const meta = image.source.kind === 'url' ? image.source.meta : {};
  return image.exif?.artist || meta.photographer_username || image.importedBy || '';
}

/** "imported by <the profile's current name>", or the name it had at import time when it was deleted. */
export const importedByLabel = (by: ImportedBy, profileNames?: ReadonlyMap<string, string>): string =>
  `imported by ${profileNames?.get(by.profileId) ?? by.name}`;

/** Named people in a photo (Unknown faces are not "people seen"). */
export function peopleIn(f?: FacesResult): string[] {
  return f ? [...new Set(f.faces.map((x) => x.name).filter((n): n is string => !!n))] : [];
}

export function toRecord(
  image: ImageRecord,
  c?: ClassificationResult,
  d?: DetectionResult,
  profileNames?: ReadonlyMap<string, string>,
  f?: FacesResult,
): AnalyticsRecord {
  const meta = image.source.kind === 'url' ? image.source.meta : {};
  const taken = image.exif?.dateTaken?.slice(0, 7);
  const camera = [image.exif?.make, image.exif?.model].filter(Boolean).join(' ') || [meta.exif_camera_make, meta.exif_camera_model].filter(Boolean).join(' ');
  return {
    id: image.id,
    addedAt: image.addedAt,
    month: taken && /^\d{4}-\d{2}$/.test(taken) ? taken : new Date(image.addedAt).toISOString().slice(0, 7),
    tag: c?.tag.tag ?? '',
    label: c?.labels[0]?.label ?? '',
    objects: d ? [...new Set(d.objects.map((o) => o.label))] : [],
    people: peopleIn(f),
    camera,
    lens: image.exif?.lens ?? '',
    creator: creatorOf(image, profileNames),
    source: image.source.kind,
    megapixels: image.facts?.megapixels ?? (image.width * image.height) / 1e6,
    colour: image.facts?.palette[0] ? hueLight(image.facts.palette[0].hex) : null,
  };
}

export function matches(r: AnalyticsRecord, f: Filters): boolean {
  return (
    (!f.from || r.month >= f.from) &&
    (!f.to || r.month <= f.to) &&
    (!f.tag || r.tag === f.tag) &&
    (!f.label || r.label === f.label) &&
    (!f.person || r.people.includes(f.person)) &&
    (!f.source || r.source === f.source)
  );
}

function top(m: Map<string, number>, n: number): Counts {
  return [...m.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, n);
}

export function aggregate(records: AnalyticsRecord[], f: Filters = {}, n = 15): Aggregates {
  const maps = Array.from({ length: 10 }, () => new Map<string, number>());
  const [labels, tags, objects, people, creators, cameras, lenses, months, megapixels, sources] = maps;
  const inc = (m: Map<string, number>, k: string) => k && m.set(k, (m.get(k) ?? 0) + 1);
  const colours = Array.from({ length: 12 }, () => [0, 0, 0]);
  let total = 0;
  for (const r of records) {
    if (!matches(r, f)) continue;
    total++;
    inc(labels, r.label);
    inc(tags, r.tag);
    for (const o of r.objects) inc(objects, o);
    for (const p of r.people) inc(people, p);
    inc(creators, r.creator);
    inc(cameras, r.camera);
    inc(lenses, r.lens);
    inc(months, r.month);
    inc(megapixels, MP_BUCKETS.find(([max]) => r.megapixels < max)![1]);
    inc(sources, r.source);
    if (r.colour) colours[r.colour[0]][r.colour[1]]++;
  }
  return {
    total,
    labels: top(labels, n),
    tags: top(tags, n),
    objects: top(objects, n),
    people: top(people, n),
    creators: top(creators, n),
    cameras: top(cameras, n),
    lenses: top(lenses, n),
    months: [...months.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)),
    megapixels: MP_BUCKETS.map(([, name]) => [name, megapixels.get(name) ?? 0] as [string, number]),
    sources: top(sources, n),
    colours,
  };
}

/**
 * The source of everything that decides an image's flat record: a persisted copy of the records (the analytics
 * worker's snapshot) is only reused by code whose flattening reads the same.
 */
export function flatteningCode(): string {
  return [toRecord, creatorOf, creatorSource, importedByLabel, peopleIn, hueLight].map(String).join('\n');
}
