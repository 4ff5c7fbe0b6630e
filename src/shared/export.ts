// CSV and JSON exports of the library (the seed's product columns included when images came from a list).
import { toCsv } from './csv';
import type { TagResult } from './rules';
import type { ClassificationResult, DetectedObject, DetectionResult, FacesResult, FileError, ImageRecord } from './types';

export interface ExportRow {
  image: ImageRecord;
  result: ClassificationResult | undefined;
  detection?: DetectionResult | undefined;
  faces?: FacesResult | undefined;
  /** The tag under the current rules (labels + objects); the stored one when absent. */
  tag?: TagResult;
}

/** 'person:3|bus:1', most frequent first. */
export function objectCounts(objects: DetectedObject[]): string {
  const counts = new Map<string, number>();
  for (const o of objects) counts.set(o.label, (counts.get(o.label) ?? 0) + 1);
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([l, n]) => `${l}:${n}`)
    .join('|');
}

const pct = (p: number) => p.toFixed(4);
const r1 = (v: number) => Math.round(v * 10) / 10;

/** Who each face is, as stored: 'penny|Unknown' (left to right). */
export function faceNames(faces: FacesResult): string {
  return [...faces.faces]
    .sort((a, b) => a.box[0] - b.box[0])
    .map((f) => f.name ?? 'Unknown')
    .join('|');
}

/** A faces result for the JSON export: boxes in original pixels, the name (or Unknown) and the evidence behind it. */
export function facesJson(r: FacesResult) {
  const method = r.recognition?.method ?? 'distance';
  return {
    modelId: r.modelId,
    modelVersion: r.modelVersion,
    stageVersion: r.stageVersion,
    method,
    /** Largest distance accepted (distance) or smallest confidence accepted (classifier). */
    threshold: r.recognition?.threshold ?? null,
    faces: r.faces.map((f) => {
      const known = f.distance !== undefined && Number.isFinite(f.distance);
      return {
        x: r1(f.box[0]),
        y: r1(f.box[1]),
        width: r1(f.box[2]),
        height: r1(f.box[3]),
        score: Number(f.score.toFixed(4)),
        name: f.name ?? 'Unknown',
        method,
        // The stored score is a distance, or 1 − confidence for the classifier; null with nobody enrolled.
        ...(method === 'classifier'
          ? { confidence: known ? Number((1 - f.distance!).toFixed(4)) : null }
          : { distance: known ? Number(f.distance!.toFixed(4)) : null }),
      };
    }),
    backend: r.backend,
    inferenceMs: Math.round(r.inferenceMs),
  };
}

export const RESULT_COLUMNS = [
  'file_name',
  'top_label',
  'probability',
  'top5',
  'content_tag',
  'tag_evidence',
  'model_id',
  'model_version',
  'objects',
  'detector_id',
  'image_sha256',
  'width',
  'height',
  'camera',
  'date_taken',
  'latitude',
  'longitude',
  'megapixels',
  'dhash',
  'faces',
];
export const PRODUCT_COLUMNS = ['product_id', 'product_name', 'placeholder_image_url', 'local_image_path'];

export function resultsCsv(rows: ExportRow[]): string {
  const withProducts = rows.some((r) => r.image.source.kind === 'product-list');
  const header = withProducts ? [...PRODUCT_COLUMNS, ...RESULT_COLUMNS] : RESULT_COLUMNS;
  const body = rows.map(({ image, result, detection, faces, tag: current }) => {
    const top = result?.labels[0];
    const tag = current ?? result?.tag;
    const cols = [
      image.name,
      top?.label ?? '',
      top ? pct(top.prob) : '',
      result
        ? result.labels
            .slice(0, 5)
            .map((l) => `${l.label}:${pct(l.prob)}`)
            .join('|')
        : '',
      tag?.tag ?? '',
      tag ? tag.evidence.map((e) => `${e.label}:${pct(e.prob)}`).join('|') : '',
      result?.modelId ?? '',
      result?.modelVersion ?? '',
      detection ? objectCounts(detection.objects) : '',
      detection?.modelId ?? '',
      image.id,
      image.width,
      image.height,
      [image.exif?.make, image.exif?.model].filter(Boolean).join(' '),
      image.exif?.dateTaken ?? '',
      image.exif?.gps?.latitude ?? '',
      image.exif?.gps?.longitude ?? '',
      image.facts?.megapixels ?? '',
      image.facts?.dhash ?? '',
      faces ? faceNames(faces) : '',
    ];
    if (!withProducts) return cols;
    const p = image.source.kind === 'product-list' ? image.source.product : undefined;
    return [p?.product_id ?? '', p?.product_name ?? '', p?.placeholder_image_url ?? '', p?.local_image_path ?? image.name, ...cols];
  });
  return toCsv(header, body);
}

/** The seed's product file: its four columns plus content_tag. */
export function productCsv(rows: ExportRow[]): string {
  return toCsv(
    [...PRODUCT_COLUMNS, 'content_tag'],
    rows.flatMap(({ image, result, tag }) => {
      if (image.source.kind !== 'product-list') return [];
      const p = image.source.product;
      return [[p.product_id, p.product_name, p.placeholder_image_url, p.local_image_path, (tag ?? result?.tag)?.tag ?? '']];
    }),
  );
}

export function errorsCsv(errors: FileError[]): string {
  return toCsv(
    ['file_name', 'error_code', 'message'],
    errors.map((e) => [e.file, e.code, e.message]),
  );
}

export function resultsJson(rows: ExportRow[], errors: FileError[]): string {
  return JSON.stringify(
    {
      exportedAt: new Date().toISOString(),
      images: rows.map(({ image, result, detection, faces, tag }) => ({
        file: image.name,
        sha256: image.id,
        format: image.format,
        width: image.width,
        height: image.height,
        bytes: image.bytes,
        source: image.source,
        exif: image.exif ?? null,
        facts: image.facts ?? null,
        // The browser could not decode the file (HEIC, TIFF): EXIF only, no results.
        ...(image.metadataOnly ? { metadataOnly: true, note: image.note } : {}),
        tag: tag ?? result?.tag,
        detection: detection && {
          modelId: detection.modelId,
          modelVersion: detection.modelVersion,
          stageVersion: detection.stageVersion,
          scoreThreshold: detection.scoreThreshold,
          iouThreshold: detection.iouThreshold,
          // Boxes in original pixels (after EXIF orientation), rounded for readability.
          objects: detection.objects.map((o) => ({
            label: o.label,
            classIndex: o.classIndex,
            score: Number(o.score.toFixed(4)),
            x: Math.round(o.x * 10) / 10,
            y: Math.round(o.y * 10) / 10,
            width: Math.round(o.width * 10) / 10,
            height: Math.round(o.height * 10) / 10,
          })),
          backend: detection.backend,
          inferenceMs: Math.round(detection.inferenceMs),
        },
        classification: result && {
          modelId: result.modelId,
          modelVersion: result.modelVersion,
          stageVersion: result.stageVersion,
          top5: result.labels.slice(0, 5),
          backend: result.backend,
          inferenceMs: Math.round(result.inferenceMs),
        },
        faces: faces && facesJson(faces),
      })),
      errors,
    },
    null,
    2,
  );
}
