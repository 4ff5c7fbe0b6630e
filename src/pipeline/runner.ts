// Runs the stages over a batch: decode of the next file overlaps classification of the current one,
// each file fails on its own, and cancel stops between (or during) files without losing what is stored.
import type { ModelEntry } from '../shared/manifest';
import { deriveTag, type ContentRules } from '../shared/rules';
import { SightlineError, type ClassificationResult, type FileError, type ImageRecord, type ImageSource } from '../shared/types';
import type { Classification, PreparedImage } from '../workers/api';
import { stageVersion } from './stages';

export interface BatchItem {
  file: Blob;
  name: string;
  source: ImageSource;
}

export interface BatchProgress {
  total: number;
  done: number;
  failed: number;
  skipped: number;
  current: string | null;
  startedAt: number;
  /** Milliseconds left, from the mean time per finished file; null until one has finished. */
  etaMs: number | null;
}

export interface RunnerDeps {
  prepare(file: Blob, model: ModelEntry, signal: AbortSignal): Promise<PreparedImage>;
  classify(model: ModelEntry, rgba: Uint8ClampedArray, signal: AbortSignal): Promise<Classification>;
  backendName(): string;
  findResult(imageId: string, modelId: string, stageVersion: number): Promise<ClassificationResult | undefined>;
  save(input: { image: ImageRecord; thumb: Blob; result: ClassificationResult; features: Float32Array | null }): Promise<void>;
  rules(): ContentRules;
}

export interface BatchCallbacks {
  onProgress?(p: BatchProgress): void;
  onStored?(image: ImageRecord, result: ClassificationResult): void;
  onError?(e: FileError): void;
}

export interface BatchSummary extends BatchProgress {
  cancelled: boolean;
  errors: FileError[];
  elapsedMs: number;
}

type Prepared = { ok: true; value: PreparedImage } | { ok: false; error: unknown };

const asFileError = (name: string, e: unknown): FileError =>
  e instanceof SightlineError
    ? { file: name, code: e.code, message: e.message }
    : { file: name, code: 'inference-failed', message: (e as Error)?.message ?? String(e) };

export async function runBatch(items: BatchItem[], model: ModelEntry, deps: RunnerDeps, signal: AbortSignal, cb: BatchCallbacks = {}): Promise<BatchSummary> {
  const p: BatchProgress = { total: items.length, done: 0, failed: 0, skipped: 0, current: null, startedAt: Date.now(), etaMs: null };
  const errors: FileError[] = [];
  const finished = () => p.done + p.failed + p.skipped;
  const report = () => {
    const n = finished();
    p.etaMs = n ? ((Date.now() - p.startedAt) / n) * (p.total - n) : null;
    cb.onProgress?.({ ...p });
  };
  const prepare = (i: number): Promise<Prepared> =>
    deps.prepare(items[i].file, model, signal).then(
      (value) => ({ ok: true as const, value }),
      (error: unknown) => ({ ok: false as const, error }),
    );

  report();
  let next = items.length ? prepare(0) : null;
  for (let i = 0; i < items.length && next; i++) {
    const item = items[i];
    p.current = item.name;
    report();
    const prepared = await next;
    next = i + 1 < items.length && !signal.aborted ? prepare(i + 1) : null;
    if (signal.aborted) break;
    try {
      if (!prepared.ok) throw prepared.error;
      const img = prepared.value;
      if (await deps.findResult(img.sha256, model.id, stageVersion('classify'))) {
        p.skipped++;
        continue;
      }
      const c = await deps.classify(model, img.input.rgba, signal);
      const image: ImageRecord = {
        id: img.sha256,
        name: item.name,
        bytes: img.bytes,
        format: img.format,
        width: img.width,
        height: img.height,
        addedAt: Date.now(),
        source: item.source,
      };
      const result: ClassificationResult = {
        imageId: img.sha256,
        stage: 'classify',
        stageVersion: stageVersion('classify'),
        modelId: model.id,
        modelVersion: model.version,
        labels: c.labels,
        tag: deriveTag(deps.rules(), c.labels),
        backend: deps.backendName(),
        inferenceMs: c.inferenceMs,
        createdAt: Date.now(),
      };
      await deps.save({ image, thumb: img.thumb, result, features: c.features });
      p.done++;
      cb.onStored?.(image, result);
    } catch (e) {
      if (signal.aborted) break;
      const fe = asFileError(item.name, e);
      errors.push(fe);
      p.failed++;
      cb.onError?.(fe);
    } finally {
      report();
    }
  }
  p.current = null;
  report();
  return { ...p, cancelled: signal.aborted, errors, elapsedMs: Date.now() - p.startedAt };
}
