// Types for models/manifest.json, shared by the app, the workers and the Node scripts.

export type ChannelOrder = 'RGB' | 'BGR';

/** 'antialias': area-aware downscaling like PIL's (browser 'high' quality); 'bilinear': plain bilinear like OpenCV INTER_LINEAR. */
export type ResizeFilter = 'antialias' | 'bilinear';

export type ResizeSpec =
  | { mode: 'shorter-side-crop'; shorterSide: number; crop: number; filter?: ResizeFilter }
  | { mode: 'letterbox'; size: number; pad: number; filter?: ResizeFilter };

/** What the image worker can be asked for: a model's resize, or the whole image with its longer side at most
 * maxSide, never enlarged (the faces stage's input). */
export type InputSpec = ResizeSpec | { mode: 'fit'; maxSide: number; filter?: ResizeFilter };

export interface PreprocessSpec {
  resize: ResizeSpec;
  channelOrder: ChannelOrder;
  /** Multiplier applied to 0..255 pixel values before mean/std. */
  scale: number;
  /** Per output channel, in `channelOrder`. */
  mean: [number, number, number];
  std: [number, number, number];
}

export type ModelTask = 'classification' | 'detection';

export interface ModelEntry {
  id: string;
  name: string;
  task: ModelTask;
  version: string;
  default?: boolean;
  optional?: boolean;
  file: string;
  size: number;
  sha256: string;
  licence: string;
  url: string | null;
  /**
   * Made locally instead of downloaded: `npm run models` builds the file from the model `from` (fetched first) with
   * the committed recipe `recipe` (a path under models/, e.g. a quantization's calibrated ranges), then checks its
   * size and sha256 like any download. A mirror copy, when there is one, is used instead.
   */
  derive?: { from: string; recipe: string };
  sources: string[];
  /** `shape[0]` is the batch of a single image; `maxBatch`: how many images one run may take (default 1: fixed batch). */
  input: { name: string; shape: number[]; layout: 'NCHW'; dtype: 'float32'; maxBatch?: number };
  preprocess: PreprocessSpec;
  output: { kind: 'probabilities' | 'logits' | 'yolo-v8'; scores: string; features?: string; layout?: string };
  labels: string;
}

export interface LabelsEntry {
  file: string;
  sha256: string;
  column: string;
  count: number;
}

export interface ModelManifest {
  version: number;
  labels: Record<string, LabelsEntry>;
  models: ModelEntry[];
}

/** Checks the manifest's shape so a bad edit fails loudly at build/test time, not as NaNs at run time. */
export function validateManifest(m: ModelManifest): string[] {
  const errors: string[] = [];
  const ids = new Set<string>();
  for (const e of m.models) {
    const where = `model ${e.id || '(no id)'}`;
    if (!e.id) errors.push(`${where}: missing id`);
    if (ids.has(e.id)) errors.push(`${where}: duplicate id`);
    ids.add(e.id);
    if (!/^[0-9a-f]{64}$/.test(e.sha256)) errors.push(`${where}: sha256 must be 64 hex digits`);
    if (!(e.size > 0)) errors.push(`${where}: size must be positive`);
    if (!/^[\w.-]+\.onnx$/.test(e.file)) errors.push(`${where}: file must be a plain .onnx name`);
    if (!m.labels[e.labels]) errors.push(`${where}: unknown labels '${e.labels}'`);
    const p = e.preprocess;
    if (p.mean.length !== 3 || p.std.length !== 3) errors.push(`${where}: mean/std need 3 values`);
    if (p.std.some((s) => s === 0)) errors.push(`${where}: std must not be 0`);
    if (e.input.shape.length !== 4) errors.push(`${where}: input shape must be NCHW`);
    if (e.input.maxBatch !== undefined && !(Number.isInteger(e.input.maxBatch) && e.input.maxBatch >= 1))
      errors.push(`${where}: input.maxBatch must be a positive integer`);
    if (e.derive) {
      const src = m.models.find((x) => x.id === e.derive!.from);
      if (!src) errors.push(`${where}: derive.from '${e.derive.from}' is not a model in the manifest`);
      else if (src.derive) errors.push(`${where}: derive.from '${e.derive.from}' is itself derived`);
      if (!/^[\w./-]+\.json$/.test(e.derive.recipe) || e.derive.recipe.includes('..'))
        errors.push(`${where}: derive.recipe must be a .json path under models/`);
    }
  }
  if (m.models.filter((e) => e.default && e.task === 'classification').length !== 1) errors.push('exactly one classification model must be marked default');
  return errors;
}

export function findModel(m: ModelManifest, id: string): ModelEntry {
  const e = m.models.find((x) => x.id === id);
  if (!e) throw new Error(`Unknown model '${id}'. Known: ${m.models.map((x) => x.id).join(', ')}`);
  return e;
}

export function defaultModel(m: ModelManifest, task: ModelTask): ModelEntry {
  const e = m.models.find((x) => x.task === task && x.default) ?? m.models.find((x) => x.task === task);
  if (!e) throw new Error(`No ${task} model in the manifest`);
  return e;
}
