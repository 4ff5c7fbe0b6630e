// Activation ranges for static quantization: run the float model in onnxruntime-node with every intermediate tensor
// exposed as an output, and keep each tensor's min and max over the calibration images (MinMax calibration).
import * as ort from 'onnxruntime-node';
import { decodeModel, encodeModel, floatOutput, graphOf } from './onnx.ts';
import type { Ranges } from './qdq.ts';

/** The model with every node output also a graph output, so one run returns them all. */
export function exposeAll(fp32: Uint8Array): Uint8Array {
  const m = decodeModel(fp32);
  const g = graphOf(m);
  const have = new Set(g.output.map((o) => o.name));
  for (const n of g.node) for (const o of n.output) if (!have.has(o)) g.output.push(floatOutput(o));
  return encodeModel(m);
}

/** Keeps 6 significant digits: the committed ranges read the same everywhere, and tiny float noise does not matter. */
const tidy = (x: number) => Number(x.toPrecision(6));

/** Per tensor, each image's [min, max]. */
export type RangeStats = Map<string, [number, number][]>;

/** How ranges are made from per-image ranges: the extremes over all images, or the mean of each image's (less outlier-bound). */
export function rangesFrom(stats: RangeStats, method: 'minmax' | 'mean-minmax'): Ranges {
  const out: Ranges = {};
  for (const [k, per] of [...stats].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const lo = method === 'minmax' ? Math.min(...per.map((r) => r[0])) : per.reduce((a, r) => a + r[0], 0) / per.length;
    const hi = method === 'minmax' ? Math.max(...per.map((r) => r[1])) : per.reduce((a, r) => a + r[1], 0) / per.length;
    out[k] = [tidy(lo), tidy(hi)];
  }
  return out;
}

export interface Calibration {
  ranges: RangeStats;
  /** Per 4-D tensor, the mean of each channel over all positions and images (for bias correction). */
  means: Map<string, Float64Array>;
}

/** `dims` of each input: one image, [1, 3, 224, 224] unless given. */
export async function calibrate(
  fp32: Uint8Array,
  inputs: Iterable<{ name: string; data: Float32Array; dims?: number[] }>,
  onImage?: (name: string) => void,
): Promise<Calibration> {
  const session = await ort.InferenceSession.create(exposeAll(fp32), { intraOpNumThreads: 2, graphOptimizationLevel: 'basic' });
  const stats: RangeStats = new Map();
  const sums = new Map<string, Float64Array>();
  let images = 0;
  const update = (name: string, d: Float32Array, dims: readonly number[]) => {
    if (dims.length === 4) {
      const [n, c] = dims;
      const plane = d.length / n / c;
      const sum = sums.get(name) ?? new Float64Array(c);
      for (let i = 0; i < d.length; i++) sum[Math.floor(i / plane) % c] += d[i] / plane;
      sums.set(name, sum);
    }
    let [lo, hi] = [Infinity, -Infinity];
    for (let i = 0; i < d.length; i++) {
      const v = d[i];
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    stats.set(name, [...(stats.get(name) ?? []), [lo, hi]]);
  };
  const inputName = session.inputNames[0];
  try {
    for (const { name, data, dims = [1, 3, 224, 224] } of inputs) {
      update(inputName, data, dims);
      const out = await session.run({ [inputName]: new ort.Tensor('float32', data, dims) });
      images++;
      for (const [k, t] of Object.entries(out)) {
        update(k, t.data as Float32Array, t.dims);
        t.dispose();
      }
      onImage?.(name);
    }
  } finally {
    await session.release();
  }
  if (!stats.size) throw new Error('no calibration images');
  for (const s of sums.values()) for (let i = 0; i < s.length; i++) s[i] /= images;
  return { ranges: stats, means: sums };
}
