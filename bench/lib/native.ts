// Native baseline: the same model files and input through onnxruntime-node, with the same warm-up/runs policy.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { ROOT } from './server.ts';
import { cpuMeter, type CpuReading } from './cpu.ts';
import { describe, log, pct, summarize, type Summary } from './stats.ts';

interface ManifestModel {
  id: string;
  task: 'classification' | 'detection';
  file: string;
  input: { name: string; shape: number[] };
  preprocess: { channelOrder: 'RGB' | 'BGR'; scale: number; mean: number[]; std: number[] };
}

export function readManifest(): { models: ManifestModel[] } {
  return JSON.parse(readFileSync(path.join(ROOT, 'models', 'manifest.json'), 'utf8')) as { models: ManifestModel[] };
}

export function findModel(id: string): ManifestModel {
  const m = readManifest().models.find((x) => x.id === id);
  if (!m) throw new Error(`model ${id} is not in models/manifest.json`);
  return m;
}

/**
 * The input the inference worker's benchmark() uses (src/workers/inference.worker.ts): a fixed pseudo-random RGBA
 * image through the model's preprocessing (same formula as src/ml/preprocess.ts toTensorData).
 */
export function benchInput(m: ManifestModel): Float32Array {
  const [, , h, w] = m.input.shape;
  const n = w * h;
  const rgba = new Uint8ClampedArray(n * 4).map((_, i) => (i * 2654435761) >>> 24);
  const out = new Float32Array(3 * n);
  const src = m.preprocess.channelOrder === 'RGB' ? [0, 1, 2] : [2, 1, 0];
  for (let c = 0; c < 3; c++) {
    const k = m.preprocess.scale / m.preprocess.std[c];
    const b = -m.preprocess.mean[c] / m.preprocess.std[c];
    for (let i = 0; i < n; i++) out[c * n + i] = rgba[i * 4 + src[c]] * k + b;
  }
  return out;
}

export interface NativeResult {
  model: string;
  task: 'classification' | 'detection';
  runtime: 'onnxruntime-node';
  threads: number;
  loadMs: number;
  warmupRuns: number;
  /** CPU use during warm-up + runs (machine, and other processes). */
  cpu: CpuReading | null;
  times: number[];
  summary: Summary;
}

export async function benchNative(modelId: string, threads: number, runs: number, warmupMs: number): Promise<NativeResult> {
  const m = findModel(modelId);
  const t0 = performance.now();
  const session = await ort.InferenceSession.create(path.join(ROOT, 'models', 'files', m.file), {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  });
  const loadMs = performance.now() - t0;
  try {
    if (!session.inputNames.includes(m.input.name)) throw new Error(`${m.file} has no input ${m.input.name} (has ${session.inputNames.join(', ')})`);
    const input = new ort.Tensor('float32', benchInput(m), m.input.shape);
    const feeds = { [m.input.name]: input };
    // Warm up by time, like the browser side (native needs far less, but the policy is the same).
    const cpu = cpuMeter();
    let warmupRuns = 0;
    const until = performance.now() + warmupMs;
    do {
      await session.run(feeds);
      warmupRuns++;
    } while (performance.now() < until);
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const s = performance.now();
      await session.run(feeds);
      times.push(performance.now() - s);
    }
    const cpuUse = cpu.stop();
    const summary = summarize(times);
    log(`native ${modelId} ${threads}t: ${describe(summary)} [CPU: machine ${pct(cpuUse?.machine ?? null)}, other processes ${pct(cpuUse?.others ?? null)}]`);
    return { model: modelId, task: m.task, runtime: 'onnxruntime-node', threads, loadMs, warmupRuns, cpu: cpuUse, times, summary };
  } finally {
    // Frees the session's thread pool, so spinning threads cannot disturb the next measurement.
    await session.release();
  }
}

export const nativeOrtVersion = (): string => ort.env.versions.node ?? ort.env.versions.common;
