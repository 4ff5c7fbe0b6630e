// What one stored image becomes when it is shared with the team: metadata and results only. Never the image,
// its thumbnail or its embedding; file name, EXIF fields and face descriptors only when allowed.
import type { SyncRecord } from '../shared/sync';
import type { ExifField } from '../shared/sync-constants';

/** The parts of a stored image this needs (ImageRecord satisfies it; `exif` once EXIF ingest exists). */
export interface ImageLike {
  id: string;
  name: string;
  bytes: number;
  format: string;
  width: number;
  height: number;
  source: { kind: string };
  exif?: ExifLike | null;
}

/** EXIF as the ingest reads it (dateTaken text, gps object) or already normalised (takenAt ms, lat/lon). */
export interface ExifLike {
  make?: string;
  model?: string;
  dateTaken?: string;
  takenAt?: number;
  gps?: { latitude: number; longitude: number };
  lat?: number;
  lon?: number;
}

/** Any stage result (classify, detect, faces, …): read by shape, so new stages need no change here. */
export interface ResultLike {
  stage: string;
  modelId: string;
  modelVersion: string;
  createdAt: number;
  labels?: { label: string; prob: number }[];
  tag?: { tag: string; tags: string[]; rulesVersion: number };
  objects?: { label: string; score: number }[];
  faces?: { name?: string | null; descriptor?: ArrayLike<number> | null }[];
  exif?: ExifLike;
}

export interface SharePolicy {
  shareFileNames: boolean;
  exifFields: readonly ExifField[];
  /** The team's setting, from the server. */
  shareFaceDescriptors: boolean;
}

const MIN_MS = 946684800000;
const MAX_MS = 4102444800000;
const clampMs = (t: number) => Math.min(MAX_MS, Math.max(MIN_MS, Math.round(t)));
const clip = (s: string, n = 120) => (s.length > n ? s.slice(0, n) : s) || '?';
const prob = (p: number) => Math.min(1, Math.max(0, Number.isFinite(p) ? p : 0));

/** RFC 4122 v4 from getRandomValues: crypto.randomUUID is missing outside secure contexts. */
export function uuid(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function exifOf(e: ExifLike | undefined, allowed: readonly ExifField[]): SyncRecord['exif'] {
  if (!e || !allowed.length) return undefined;
  const out: NonNullable<SyncRecord['exif']> = {};
  if (allowed.includes('camera')) {
    if (e.make) out.make = clip(e.make);
    if (e.model) out.model = clip(e.model);
  }
  const taken = e.takenAt ?? (e.dateTaken ? Date.parse(e.dateTaken) : NaN);
  if (allowed.includes('takenAt') && taken >= MIN_MS && taken <= MAX_MS) out.takenAt = Math.round(taken);
  const lat = e.lat ?? e.gps?.latitude;
  const lon = e.lon ?? e.gps?.longitude;
  if (allowed.includes('gps') && Number.isFinite(lat) && Number.isFinite(lon)) {
    out.lat = Math.min(90, Math.max(-90, lat!));
    out.lon = Math.min(180, Math.max(-180, lon!));
  }
  return Object.keys(out).length ? out : undefined;
}

/** Null when the results hold nothing to share. */
export function buildSyncRecord(image: ImageLike, results: readonly ResultLike[], policy: SharePolicy, id = uuid()): SyncRecord | null {
  const c = results.find((r) => r.labels && r.tag);
  const d = results.find((r) => r.objects);
  const f = results.find((r) => r.faces);
  if (!c && !d && !f) return null;
  const rec: SyncRecord = {
    id,
    imageId: image.id,
    analysedAt: clampMs(Math.max(...results.map((r) => r.createdAt))),
    source: /^[a-z][a-z-]{0,31}$/.test(image.source.kind) ? image.source.kind : 'other',
    format: image.format.slice(0, 16),
    width: Math.max(0, Math.round(image.width)),
    height: Math.max(0, Math.round(image.height)),
    bytes: Math.max(0, Math.round(image.bytes)),
  };
  if (policy.shareFileNames) rec.name = image.name.slice(0, 255);
  if (c) {
    rec.classification = {
      modelId: clip(c.modelId),
      modelVersion: clip(c.modelVersion),
      // The top 5 are what the team views use; the rest stay on the device.
      labels: c.labels!.slice(0, 5).map((l) => ({ label: clip(l.label), prob: prob(l.prob) })),
      tag: clip(c.tag!.tag),
      tags: c.tag!.tags.slice(0, 16).map((t) => clip(t)),
      rulesVersion: Math.max(0, Math.round(c.tag!.rulesVersion)),
    };
  }
  if (d) {
    // Counts per label, not boxes: enough for the team's "top objects", less about the picture.
    const byLabel = new Map<string, { label: string; count: number; maxScore: number }>();
    for (const o of d.objects!) {
      const label = clip(o.label);
      const prev = byLabel.get(label) ?? { label, count: 0, maxScore: 0 };
      byLabel.set(label, { label, count: Math.min(10000, prev.count + 1), maxScore: Math.max(prev.maxScore, prob(o.score)) });
    }
    rec.detection = { modelId: clip(d.modelId), modelVersion: clip(d.modelVersion), objects: [...byLabel.values()].slice(0, 100) };
  }
  if (f) {
    rec.faces = f.faces!.slice(0, 100).map((x) => {
      const face: NonNullable<SyncRecord['faces']>[number] = {};
      if (x.name) face.name = x.name.slice(0, 80);
      if (policy.shareFaceDescriptors && x.descriptor && x.descriptor.length) face.descriptor = Array.from(x.descriptor).slice(0, 1024);
      return face;
    });
  }
  const exif = exifOf(image.exif ?? results.find((r) => r.exif)?.exif, policy.exifFields);
  if (exif) rec.exif = exif;
  return rec;
}
