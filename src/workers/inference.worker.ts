/// <reference lib="webworker" />
// ONNX family worker: one ORT runtime, one session per model, classification (and later detection).
import { expose, transfer } from 'comlink';
import type { ModelEntry } from '../shared/manifest';
import { parseLabels } from '../shared/labels';
import { SightlineError } from '../shared/types';
import { loadRuntime, type Ort } from '../ml/backend';
import { createSession, fetchModelBytes, fetchText, type OrtSession } from '../ml/session';
import { toTensorData } from '../ml/preprocess';
import { softmax, topK } from '../ml/postprocess';
import { decodeYolo } from '../ml/yolo';
import type { BackendInfo, Classification, InferenceApi } from './api';
import { outcome } from './outcome';

interface Loaded {
  entry: ModelEntry;
  session: OrtSession;
  labels: string[];
}

let runtime: { ort: Ort; eps: string[]; info: BackendInfo } | null = null;
const models = new Map<string, Loaded>();

function need(modelId: string): Loaded {
  const m = models.get(modelId);
  if (!m) throw new SightlineError('model-missing', `model ${modelId} is not loaded in the worker`);
  return m;
}

/** One [N, C, H, W] tensor from N images' RGBA pixels (N > 1 only for models whose manifest allows a batch). */
function inputTensor(ort: Ort, entry: ModelEntry, images: Uint8ClampedArray[]) {
  const [, c, h, w] = entry.input.shape;
  if (images.length > 1 && images.length > (entry.input.maxBatch ?? 1))
    throw new SightlineError('inference-failed', `${entry.id} takes at most ${entry.input.maxBatch ?? 1} image(s) per run, got ${images.length}`);
  const plane = c * h * w;
  const data = new Float32Array(images.length * plane);
  images.forEach((rgba, i) => data.set(toTensorData(rgba, w, h, entry.preprocess), i * plane));
  return new ort.Tensor('float32', data, [images.length, c, h, w]);
}

/** Runs a classifier on one tensor of N images and splits the outputs per image. */
async function runClassifier(m: Loaded, images: Uint8ClampedArray[], k: number): Promise<Classification[]> {
  const { entry, session, labels } = m;
  const t0 = performance.now();
  const input = inputTensor(runtime!.ort, entry, images);
  const fetches = [entry.output.scores, ...(entry.output.features ? [entry.output.features] : [])];
  try {
    const out = await session.run({ [entry.input.name]: input }, fetches);
    const raw = out[entry.output.scores].data as Float32Array;
    const feats = entry.output.features ? (out[entry.output.features].data as Float32Array) : null;
    const classes = raw.length / images.length;
    const dim = feats ? feats.length / images.length : 0;
    // The run's time shared out: what one image cost inside this batch.
    const inferenceMs = (performance.now() - t0) / images.length;
    const results = images.map((_, i) => {
      const row = raw.subarray(i * classes, (i + 1) * classes);
      const probs = entry.output.kind === 'logits' ? softmax(row) : row;
      return { labels: topK(probs, k, labels), features: feats ? feats.slice(i * dim, (i + 1) * dim) : null, inferenceMs, batch: images.length };
    });
    for (const t of Object.values(out)) t.dispose();
    return results;
  } finally {
    input.dispose();
  }
}

const featureBuffers = (cs: Classification[]) => cs.flatMap((c) => (c.features ? [c.features.buffer as ArrayBuffer] : []));

const api: InferenceApi = {
  async init(pref, threads) {
    if (!runtime) runtime = await loadRuntime(pref, threads);
    return runtime.info;
  },

  async loadModel(entry, modelUrl, labelsUrl, labelsColumn) {
    return outcome(async () => {
      if (!runtime) throw new SightlineError('inference-failed', 'init() must run before loadModel()');
      const t0 = performance.now();
      const [bytes, labelsCsv] = await Promise.all([fetchModelBytes(entry, modelUrl), fetchText(labelsUrl, `Labels file for ${entry.id}`)]);
      const { session, ep, note } = await createSession(runtime.ort, runtime.eps, entry, bytes);
      if (note) runtime.info = { ...runtime.info, reason: `${runtime.info.reason}; ${note}fell back to ${ep}` };
      models.set(entry.id, { entry, session, labels: parseLabels(labelsCsv, labelsColumn) });
      return {
        id: entry.id,
        version: entry.version,
        bytes: bytes.length,
        loadMs: performance.now() - t0,
        inputNames: session.inputNames,
        outputNames: session.outputNames,
      };
    }, 'model-corrupt');
  },

  async classify(modelId, rgba, k) {
    const res = await outcome(async () => (await runClassifier(need(modelId), [rgba], k))[0], 'inference-failed');
    return res.ok ? transfer(res, featureBuffers([res.value])) : res;
  },

  async classifyBatch(modelId, images, k) {
    const res = await outcome(async () => {
      if (!images.length) throw new SightlineError('inference-failed', 'classifyBatch needs at least one image');
      return runClassifier(need(modelId), images, k);
    }, 'inference-failed');
    return res.ok ? transfer(res, featureBuffers(res.value)) : res;
  },

  async detect(modelId, rgba, geometry, size, opts) {
    return outcome(async () => {
      const { entry, session, labels } = need(modelId);
      const t0 = performance.now();
      const input = inputTensor(runtime!.ort, entry, [rgba]);
      const out = await session.run({ [entry.input.name]: input }, [entry.output.scores]);
      const t = out[entry.output.scores];
      const objects = decodeYolo(t.data as Float32Array, t.dims, labels, geometry, size, opts);
      input.dispose();
      t.dispose();
      return { objects, inferenceMs: performance.now() - t0 };
    }, 'inference-failed');
  },

  async benchmark(modelId, runs, warmupMs, batch = 1) {
    const { entry, session } = need(modelId);
    const [, , h, w] = entry.input.shape;
    const rgba = new Uint8ClampedArray(w * h * 4).map((_, i) => (i * 2654435761) >>> 24);
    const input = inputTensor(
      runtime!.ort,
      entry,
      Array.from({ length: batch }, () => rgba),
    );
    const feeds = { [entry.input.name]: input };
    // V8 tiers WASM up for several seconds: warm up by time, not by count.
    const until = performance.now() + warmupMs;
    while (performance.now() < until) await session.run(feeds);
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      await session.run(feeds);
      times.push(performance.now() - t0);
    }
    input.dispose();
    return times;
  },

  crash() {
    setTimeout(() => {
      throw new Error('simulated crash');
    });
  },
};

expose(api);
