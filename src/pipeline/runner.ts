// Runs the stages over a batch: decode of the next file overlaps inference on the current one, each file
// fails on its own, stages already stored at the same model and stage version are skipped, and cancel
// stops between (or during) files without losing what is stored.
import type { InputSpec, ModelEntry } from '../shared/manifest';
import { deriveTag, type ContentRules } from '../shared/rules';
import {
  SightlineError,
  type ClassificationResult,
  type DetectionResult,
  type FaceRecord,
  type FacesResult,
  type FileError,
  type FileNotice,
  type ImageRecord,
  type ImageSource,
  type ImportedBy,
  type StageResult,
} from '../shared/types';
import type { YoloOptions } from '../ml/yolo';
import type { Classification, Detections, PreparedImage } from '../workers/api';
import { stageVersion } from './stages';
import { FACE_MODEL_ID, HUMAN_VERSION } from '../shared/faces-assets';
import type { StillFace } from '../workers/faces-api';

export interface BatchItem {
  /** The bytes, or a download that yields them (URL imports fetch ahead of the batch). */
  file: Blob | (() => Promise<Blob>);
  name: string;
  source: ImageSource;
}

/** Which models run; with neither, files are only decoded and stored with their metadata and facts. */
export interface RunPlan {
  classifier: ModelEntry | null;
  detector: ModelEntry | null;
  yolo: YoloOptions;
  /** Run the faces stage (detect, describe, recognise against the people gallery). */
  faces?: boolean;
  /** The profile importing this batch, recorded on each new image. */
  importedBy?: ImportedBy | null;
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

export interface SaveInput {
  image: ImageRecord;
  thumb: Blob;
  results: StageResult[];
  features: { modelId: string; vector: Float32Array } | null;
  faces?: FaceRecord[];
}

export interface RunnerDeps {
  prepare(file: Blob, resizes: InputSpec[], signal: AbortSignal): Promise<PreparedImage>;
  classify(model: ModelEntry, rgba: Uint8ClampedArray, signal: AbortSignal): Promise<Classification>;
  detect(
    model: ModelEntry,
    input: PreparedImage['inputs'][number],
    size: { width: number; height: number },
    opts: YoloOptions,
    signal: AbortSignal,
  ): Promise<Detections>;
  backendName(): string;
  detectFaces?(input: PreparedImage['inputs'][number], signal: AbortSignal): Promise<{ faces: StillFace[]; ms: number; backend: string }>;
  /** Who each descriptor is with the current gallery and method (null: Unknown). */
  recognize?(descriptors: Float32Array[]): Promise<{ name: string | null; personId?: string | null; distance: number }[]>;
  /** The method `recognize` uses and its threshold, recorded with the faces result. */
  recognition?(): { method: 'distance' | 'classifier'; threshold: number } | null;
  /** The stored result of a stage for this image and model, if any (any stage version). */
  findResult(imageId: string, stage: StageResult['stage'], modelId: string): Promise<StageResult | undefined>;
  hasImage(imageId: string): Promise<boolean>;
  save(input: SaveInput): Promise<void>;
  rules(): ContentRules;
}

export interface BatchCallbacks {
  /** Awaited before each file: pausing is a gate that stays shut until resumed (or the batch is cancelled). */
  gate?(): Promise<void>;
  onProgress?(p: BatchProgress): void;
  onStored?(image: ImageRecord, results: StageResult[]): void;
  onError?(e: FileError): void;
  /** A file stored with a caveat (metadata only); it counts as stored, not failed. */
  onNotice?(n: FileNotice): void;
}

export interface BatchSummary extends BatchProgress {
  cancelled: boolean;
  errors: FileError[];
  notices: FileNotice[];
  elapsedMs: number;
}

/** The faces stage sees the whole photo, longer side ≤ 1280 px: enough for small faces in group photos. */
export const FACE_INPUT: InputSpec = { mode: 'fit', maxSide: 1280 };

type Prepared = { ok: true; value: PreparedImage } | { ok: false; error: unknown };

const asFileError = (name: string, e: unknown): FileError =>
  e instanceof SightlineError
    ? { file: name, code: e.code, message: e.message }
    : { file: name, code: 'inference-failed', message: (e as Error)?.message ?? String(e) };

const current = (r: StageResult | undefined, stage: StageResult['stage']) => (r && r.stageVersion === stageVersion(stage) ? r : undefined);

/** Runs the plan's missing stages for one prepared image; no results means every stage was stored already. */
async function processOne(
  img: PreparedImage,
  plan: RunPlan,
  deps: RunnerDeps,
  signal: AbortSignal,
): Promise<{ results: StageResult[]; features: Float32Array | null; faces?: FaceRecord[] }> {
  let k = 0;
  const cIn = plan.classifier ? img.inputs[k++] : undefined;
  const dIn = plan.detector ? img.inputs[k++] : undefined;
  const fIn = plan.faces ? img.inputs[k] : undefined;
  const oldC = plan.classifier && (current(await deps.findResult(img.sha256, 'classify', plan.classifier.id), 'classify') as ClassificationResult | undefined);
  const oldD = plan.detector && (current(await deps.findResult(img.sha256, 'detect', plan.detector.id), 'detect') as DetectionResult | undefined);
  const needC = plan.classifier && !oldC;
  const needD = plan.detector && !oldD;
  const needF = plan.faces && !current(await deps.findResult(img.sha256, 'faces', FACE_MODEL_ID), 'faces');
  const out: StageResult[] = [];
  let features: Float32Array | null = null;
  let faces: FaceRecord[] | undefined;
  if (!needC && !needD && !needF) return { results: out, features };
  if (needF && fIn && deps.detectFaces) {
    const found = await deps.detectFaces(fIn, signal);
    const who = deps.recognize ? await deps.recognize(found.faces.map((f) => f.descriptor)) : [];
    const recognition = deps.recognition?.();
    const now = Date.now();
    const result: FacesResult = {
      imageId: img.sha256,
      stage: 'faces',
      stageVersion: stageVersion('faces'),
      modelId: FACE_MODEL_ID,
      modelVersion: HUMAN_VERSION,
      faces: found.faces.map((f, i) => ({
        box: f.box,
        score: f.score,
        name: who[i]?.name ?? null,
        personId: who[i]?.personId ?? null,
        distance: who[i]?.distance,
      })),
      ...(recognition ? { recognition } : {}),
      backend: found.backend,
      inferenceMs: found.ms,
      createdAt: now,
    };
    out.push(result);
    faces = found.faces.map((f, i) => ({
      id: `${img.sha256}#${i}`,
      imageId: img.sha256,
      index: i,
      box: f.box,
      score: f.score,
      descriptor: f.descriptor,
      modelId: FACE_MODEL_ID,
      crop: f.crop,
      personId: null,
      source: 'photo',
      createdAt: now,
    }));
  }
  let detection = oldD || undefined;
  if (needD && plan.detector && dIn) {
    const d = await deps.detect(plan.detector, dIn, { width: img.width, height: img.height }, plan.yolo, signal);
    detection = {
      imageId: img.sha256,
      stage: 'detect',
      stageVersion: stageVersion('detect'),
      modelId: plan.detector.id,
      modelVersion: plan.detector.version,
      objects: d.objects,
      scoreThreshold: plan.yolo.scoreThreshold,
      iouThreshold: plan.yolo.iouThreshold,
      backend: deps.backendName(),
      inferenceMs: d.inferenceMs,
      createdAt: Date.now(),
    };
    out.push(detection);
  }
  if (needC && plan.classifier && cIn) {
    const c = await deps.classify(plan.classifier, cIn.rgba, signal);
    out.push({
      imageId: img.sha256,
      stage: 'classify',
      stageVersion: stageVersion('classify'),
      modelId: plan.classifier.id,
      modelVersion: plan.classifier.version,
      labels: c.labels,
      // The tag as decided when stored (rules version inside); views re-derive it with the current rules.
      tag: deriveTag(deps.rules(), c.labels, detection?.objects ?? []),
      backend: deps.backendName(),
      inferenceMs: c.inferenceMs,
      createdAt: Date.now(),
    });
    features = c.features;
  }
  return { results: out, features, faces };
}

export async function runBatch(items: BatchItem[], plan: RunPlan, deps: RunnerDeps, signal: AbortSignal, cb: BatchCallbacks = {}): Promise<BatchSummary> {
  const resizes: InputSpec[] = [plan.classifier, plan.detector].filter((m): m is ModelEntry => !!m).map((m) => m.preprocess.resize);
  if (plan.faces) resizes.push(FACE_INPUT);
  const p: BatchProgress = { total: items.length, done: 0, failed: 0, skipped: 0, current: null, startedAt: Date.now(), etaMs: null };
  const errors: FileError[] = [];
  const notices: FileNotice[] = [];
  const report = () => {
    const n = p.done + p.failed + p.skipped;
    p.etaMs = n ? ((Date.now() - p.startedAt) / n) * (p.total - n) : null;
    cb.onProgress?.({ ...p });
  };
  const prepare = (i: number): Promise<Prepared> =>
    (async () => {
      const f = items[i].file;
      return deps.prepare(typeof f === 'function' ? await f() : f, resizes, signal);
    })().then(
      (value) => ({ ok: true as const, value }),
      (error: unknown) => ({ ok: false as const, error }),
    );

  report();
  let next = items.length ? prepare(0) : null;
  for (let i = 0; i < items.length && next; i++) {
    const item = items[i];
    if (cb.gate) await cb.gate();
    if (signal.aborted) break;
    p.current = item.name;
    report();
    const prepared = await next;
    next = i + 1 < items.length && !signal.aborted ? prepare(i + 1) : null;
    if (signal.aborted) break;
    try {
      if (!prepared.ok) throw prepared.error;
      const img = prepared.value;
      // A metadata-only image (the browser cannot decode it) has no model inputs: no stage runs on it.
      const { results, features, faces } = img.metadataOnly ? { results: [], features: null, faces: undefined } : await processOne(img, plan, deps, signal);
      const noModels = !plan.classifier && !plan.detector && !plan.faces;
      if (noModels || img.metadataOnly ? await deps.hasImage(img.sha256) : !results.length) {
        p.skipped++;
        continue;
      }
      const image: ImageRecord = {
        id: img.sha256,
        name: item.name,
        bytes: img.bytes,
        format: img.format,
        width: img.width,
        height: img.height,
        addedAt: Date.now(),
        source: item.source,
        exif: img.exif,
        facts: img.facts,
        ...(img.metadataOnly ? { metadataOnly: true as const, note: img.metadataOnly } : {}),
        ...(plan.importedBy ? { importedBy: plan.importedBy } : {}),
      };
      await deps.save({
        image,
        thumb: img.thumb,
        results,
        faces,
        features: features && plan.classifier ? { modelId: plan.classifier.id, vector: features } : null,
      });
      p.done++;
      cb.onStored?.(image, results);
      if (img.metadataOnly) {
        const n: FileNotice = { file: item.name, code: 'metadata-only', message: img.metadataOnly };
        notices.push(n);
        cb.onNotice?.(n);
      }
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
  return { ...p, cancelled: signal.aborted, errors, notices, elapsedMs: Date.now() - p.startedAt };
}
