// WebGPU latency of our models without a browser: onnxruntime-web's own WebGPU build (the one the app loads) on
// Dawn, the WebGPU implementation inside Chromium, through the `webgpu` npm package (dawn.node). It exists for GPU
// machines where no browser can be installed; it measures the models, not the app's pipeline.
//
//   npm install --no-save webgpu@0.6.2      # 51 MB, every platform's dawn.node: not a project dependency
//   npm run bench:webgpu-node -- [--models models/files] [--images ../shared/data/imagenet] [--out file.json]
//
// Each model runs on the WebGPU EP and on the WASM EP of the same build; the table shows both, and the check
// compares their top-1 (classifiers) or output values (detectors) on real photos.
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import jpeg from 'jpeg-js';
import { summarize, type Summary } from './lib/stats.ts';

const arg = (name: string, def: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : def;
};
const ROOT = path.resolve(import.meta.dirname, '..');
const MODELS = arg('models', path.join(ROOT, 'models/files'));
const IMAGES = arg('images', path.resolve(ROOT, '../shared/data/imagenet'));
const ORT_DIR = arg('ort', path.join(ROOT, 'node_modules/onnxruntime-web/dist'));
const OUT = arg('out', path.join(ROOT, `bench/results/webgpu-node-${new Date().toISOString().replace(/[:.]/g, '-')}.json`));
const RUNS = Number(arg('runs', '50'));
const WARMUP_MS = Number(arg('warmup-ms', '3000'));

interface Model {
  id: string;
  file: string;
  task: 'classification' | 'detection';
  input: { name: string; shape: number[] };
  preprocess: { resize: { mode: string; shorterSide?: number }; channelOrder: 'RGB' | 'BGR'; scale: number; mean: number[]; std: number[] };
}
const manifest = JSON.parse(readFileSync(arg('manifest', path.join(ROOT, 'models/manifest.json')), 'utf8')) as { models: Model[] };

type Ort = typeof import('onnxruntime-web');
type Session = Awaited<ReturnType<Ort['InferenceSession']['create']>>;

interface DawnNode {
  create(flags: string[]): {
    requestAdapter(o?: { powerPreference?: string }): Promise<{ info: { vendor: string; architecture: string; device: string; description: string } } | null>;
  };
  globals: Record<string, unknown>;
}

/** dawn.node differs from Chromium's WebGPU in two ways that stop onnxruntime-web: both are bridged here. */
async function installWebGpu(): Promise<string> {
  const req = createRequire(path.join(ROOT, 'package.json'));
  let mod: DawnNode;
  try {
    mod = (await import(pathToFileURL(req.resolve('webgpu')).href)) as DawnNode;
  } catch {
    throw new Error('the `webgpu` package is not installed: run `npm install --no-save webgpu@0.6.2` first');
  }
  const { create, globals } = mod;
  Object.assign(globalThis, globals);
  const g = globals as unknown as Record<string, { prototype: Record<string, unknown> }>;
  // 1. ORT's threaded wasm memory is a SharedArrayBuffer, and dawn.node's writeBuffer refuses views of one.
  const writeBuffer = g.GPUQueue.prototype.writeBuffer as (...a: unknown[]) => void;
  g.GPUQueue.prototype.writeBuffer = function (this: unknown, buf: unknown, off: number, data: ArrayBufferView, dataOff = 0, size?: number) {
    if (data.buffer instanceof SharedArrayBuffer) {
      const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
      const el = (data as unknown as { BYTES_PER_ELEMENT?: number }).BYTES_PER_ELEMENT ?? 1;
      const from = dataOff * el;
      data = bytes.slice(from, size === undefined ? undefined : from + size * el);
      return writeBuffer.call(this, buf, off, data, 0, data.byteLength);
    }
    return writeBuffer.call(this, buf, off, data, dataOff, size);
  };
  // 2. createComputePipelineAsync never settles in dawn.node under ORT (seen on SwiftShader): build synchronously.
  g.GPUDevice.prototype.createComputePipelineAsync = function (this: { createComputePipeline(d: unknown): unknown }, d: unknown) {
    try {
      return Promise.resolve(this.createComputePipeline(d));
    } catch (e) {
      return Promise.reject(e);
    }
  };
  const gpu = create([]);
  Object.defineProperty(globalThis, 'navigator', { value: { gpu, hardwareConcurrency: os.cpus().length, userAgent: 'node' }, configurable: true });
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) throw new Error('no WebGPU adapter (is a Vulkan driver installed? VK_ICD_FILENAMES can point at one)');
  const i = adapter.info;
  return [i.vendor, i.architecture, i.device, i.description].filter(Boolean).join(' / ');
}

/**
 * Model input from a JPEG: bilinear resize (shorter side to 256 then centre crop, or letterbox with grey 114), then
 * the manifest's channel order and normalisation. Close to the app's, not identical: both EPs get the same tensor.
 */
function tensorFor(m: Model, file: string): Float32Array {
  const img = jpeg.decode(readFileSync(file), { useTArray: true, formatAsRGBA: true });
  const [, , H, W] = m.input.shape;
  const box = m.preprocess.resize.mode === 'letterbox';
  const scale = box ? Math.min(W / img.width, H / img.height) : (m.preprocess.resize.shorterSide ?? 256) / Math.min(img.width, img.height);
  const rw = Math.round(img.width * scale);
  const rh = Math.round(img.height * scale);
  const dx = Math.round((W - rw) / 2); // negative: a crop
  const dy = Math.round((H - rh) / 2);
  const n = W * H;
  const out = new Float32Array(3 * n);
  const order = m.preprocess.channelOrder === 'RGB' ? [0, 1, 2] : [2, 1, 0];
  for (let ty = 0; ty < H; ty++)
    for (let tx = 0; tx < W; tx++) {
      const x = tx - dx;
      const y = ty - dy;
      const inside = x >= 0 && y >= 0 && x < rw && y < rh;
      const sx = Math.min(img.width - 1, Math.max(0, (x + 0.5) / scale - 0.5));
      const sy = Math.min(img.height - 1, Math.max(0, (y + 0.5) / scale - 0.5));
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const x1 = Math.min(img.width - 1, x0 + 1);
      const y1 = Math.min(img.height - 1, y0 + 1);
      for (let c = 0; c < 3; c++) {
        const ch = order[c];
        const p = (yy: number, xx: number) => img.data[(yy * img.width + xx) * 4 + ch];
        const fx = sx - x0;
        const fy = sy - y0;
        const v = inside ? (p(y0, x0) * (1 - fx) + p(y0, x1) * fx) * (1 - fy) + (p(y1, x0) * (1 - fx) + p(y1, x1) * fx) * fy : 114;
        out[c * n + ty * W + tx] = (v * m.preprocess.scale - m.preprocess.mean[c]) / m.preprocess.std[c];
      }
    }
  return out;
}

async function time(session: Session, feeds: Record<string, unknown>, runs = RUNS): Promise<{ summary: Summary; warmupRuns: number }> {
  let warmupRuns = 0;
  const until = performance.now() + WARMUP_MS;
  do {
    await session.run(feeds as never);
    warmupRuns++;
  } while (performance.now() < until);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await session.run(feeds as never);
    times.push(performance.now() - t);
  }
  return { summary: summarize(times), warmupRuns };
}

const argmax = (a: Float32Array) => a.reduce((best, v, i) => (v > a[best] ? i : best), 0);

async function benchModel(ort: Ort, m: Model, images: string[]) {
  const bytes = new Uint8Array(readFileSync(path.join(MODELS, m.file)));
  const inputs = images.map((f) => tensorFor(m, f));
  const [, c, h, w] = m.input.shape;
  const row: Record<string, unknown> = { model: m.id, images: images.length };
  const outputs: Record<string, Float32Array[]> = {};
  for (const ep of ['webgpu', 'wasm'] as const) {
    const t0 = performance.now();
    const s = await ort.InferenceSession.create(bytes, { executionProviders: [ep], graphOptimizationLevel: 'all' });
    const loadMs = performance.now() - t0;
    const one = new ort.Tensor('float32', inputs[0], [1, c, h, w]);
    const { summary, warmupRuns } = await time(s, { [m.input.name]: one });
    outputs[ep] = [];
    for (const x of inputs) {
      const o = await s.run({ [m.input.name]: new ort.Tensor('float32', x, [1, c, h, w]) } as never);
      outputs[ep].push(new Float32Array((o[s.outputNames[0]] as { data: Float32Array }).data));
    }
    const batches: Record<string, number> = {};
    if (m.task === 'classification') {
      for (const n of [8, 32]) {
        try {
          const data = new Float32Array(n * c * h * w);
          for (let i = 0; i < n; i++) data.set(inputs[i % inputs.length], i * c * h * w);
          // Fewer runs for batches: a batch of 32 on WASM takes seconds.
          const r = await time(s, { [m.input.name]: new ort.Tensor('float32', data, [n, c, h, w]) }, Math.max(5, Math.round(RUNS / 5)));
          batches[`batch${n}_ms`] = r.summary.median;
          batches[`batch${n}_images_per_s`] = (1000 * n) / r.summary.median;
        } catch (e) {
          // A model exported with a fixed batch of 1 cannot take more.
          console.log(`${m.id} ${ep}: batch ${n} not possible (${(e as Error).message.slice(0, 120)})`);
          break;
        }
      }
    }
    await s.release();
    row[ep] = { loadMs, warmupRuns, median: summary.median, p90: summary.p90, ...batches };
    console.log(`${m.id} ${ep}: load ${loadMs.toFixed(0)} ms, median ${summary.median.toFixed(2)} ms, p90 ${summary.p90.toFixed(2)} ms`, batches);
  }
  const [g, c2] = [outputs.webgpu, outputs.wasm];
  row.check =
    m.task === 'classification'
      ? { top1Agree: g.filter((o, i) => argmax(o) === argmax(c2[i])).length, of: g.length }
      : { maxAbsDiff: Math.max(...g.map((o, i) => o.reduce((d, v, k) => Math.max(d, Math.abs(v - c2[i][k])), 0))) };
  console.log(`${m.id} check:`, row.check);
  return row;
}

const adapter = await installWebGpu();
const ort = (await import(pathToFileURL(path.join(ORT_DIR, 'ort.webgpu.min.mjs')).href)) as Ort;
ort.env.wasm.wasmPaths = ORT_DIR.endsWith('/') ? ORT_DIR : `${ORT_DIR}/`;
ort.env.wasm.numThreads = Math.min(4, os.cpus().length);
ort.env.logLevel = 'error';
const images = readdirSync(IMAGES)
  .filter((f) => /\.jpe?g$/i.test(f))
  .sort()
  .map((f) => path.join(IMAGES, f));
const only = arg('only', '').split(',').filter(Boolean);
const rows = [];
for (const m of manifest.models) {
  if ((only.length && !only.includes(m.id)) || !existsSync(path.join(MODELS, m.file))) continue;
  try {
    rows.push(await benchModel(ort, m, images));
  } catch (e) {
    console.log(`${m.id}: failed: ${(e as Error).message}`);
    rows.push({ model: m.id, error: (e as Error).message });
  }
}
const result = { when: new Date().toISOString(), adapter, ort: ort.env.versions.web, wasmThreads: ort.env.wasm.numThreads, runs: RUNS, rows };
writeFileSync(OUT, JSON.stringify(result, null, 2));
console.log(`written ${OUT}`);
// dawn.node keeps the process alive while the GPU object exists.
process.exit(0);
