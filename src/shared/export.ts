// CSV and JSON exports of the library (the seed's product columns included when images came from a list).
import { toCsv } from './csv';
import type { ClassificationResult, FileError, ImageRecord } from './types';

export interface ExportRow {
  image: ImageRecord;
  result: ClassificationResult | undefined;
}

const pct = (p: number) => p.toFixed(4);

export const RESULT_COLUMNS = [
  'file_name',
  'top_label',
  'probability',
  'top5',
  'content_tag',
  'tag_evidence',
  'model_id',
  'model_version',
  'image_sha256',
  'width',
  'height',
];
export const PRODUCT_COLUMNS = ['product_id', 'product_name', 'placeholder_image_url', 'local_image_path'];

export function resultsCsv(rows: ExportRow[]): string {
  const withProducts = rows.some((r) => r.image.source.kind === 'product-list');
  const header = withProducts ? [...PRODUCT_COLUMNS, ...RESULT_COLUMNS] : RESULT_COLUMNS;
  const body = rows.map(({ image, result }) => {
    const top = result?.labels[0];
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
      result?.tag.tag ?? '',
      result ? result.tag.evidence.map((e) => `${e.label}:${pct(e.prob)}`).join('|') : '',
      result?.modelId ?? '',
      result?.modelVersion ?? '',
      image.id,
      image.width,
      image.height,
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
    rows.flatMap(({ image, result }) => {
      if (image.source.kind !== 'product-list') return [];
      const p = image.source.product;
      return [[p.product_id, p.product_name, p.placeholder_image_url, p.local_image_path, result?.tag.tag ?? '']];
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
      images: rows.map(({ image, result }) => ({
        file: image.name,
        sha256: image.id,
        format: image.format,
        width: image.width,
        height: image.height,
        bytes: image.bytes,
        source: image.source,
        classification: result && {
          modelId: result.modelId,
          modelVersion: result.modelVersion,
          stageVersion: result.stageVersion,
          top5: result.labels.slice(0, 5),
          tag: result.tag.tag,
          tags: result.tag.tags,
          evidence: result.tag.evidence,
          rulesVersion: result.tag.rulesVersion,
          backend: result.backend,
          inferenceMs: Math.round(result.inferenceMs),
        },
      })),
      errors,
    },
    null,
    2,
  );
}
