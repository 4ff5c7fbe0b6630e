// npm run quantize -- calibrate | build [--out file] | evaluate
//   calibrate: measure activation ranges of resnet50-keras-fp32 (onnxruntime-node) on the calibration half of the
//              dev photos and write the recipe models/quant/resnet50-keras-int8.json (committed).
//   build:     derive the int8 model from the fp32 file + recipe (what `npm run models` does) and print size + sha256.
//   evaluate:  fp32 vs int8 in onnxruntime-node on every dev JPEG: top-1 agreement and fp32's top-1 within int8's
//              top-5, per split (calibration / held-out). The browser check is `npm run quantize -- evaluate` + the
//              classify e2e test; see bench/README.md.
// DATA=<dir> points at the shared data (default ../shared/data).
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { calibrate, rangesFrom } from './lib/quantize/calibrate.ts';
import { caffeInput, devPhotos, splitOf } from './lib/quantize/images.ts';
import { decodeModel, graphOf } from './lib/quantize/onnx.ts';
import { buildFromRecipe, type Recipe } from './lib/quantize/recipe.ts';

const root = path.resolve(import.meta.dirname, '..');
const data = path.resolve(process.env.DATA ?? path.join(root, '../shared/data'));
const recipeFile = path.join(root, 'models/quant/resnet50-keras-int8.json');
const fp32File = path.join(root, 'models/files/resnet50-keras-fp32.onnx');
const int8File = path.join(root, 'models/files/resnet50-keras-int8.onnx');
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const [cmd, ...rest] = process.argv.slice(2);

function topK(p: Float32Array, k: number): number[] {
  return [...p.keys()].sort((a, b) => p[b] - p[a]).slice(0, k);
}

if (cmd === 'calibrate') {
  const fp32 = new Uint8Array(readFileSync(fp32File));
  const images = devPhotos(data, /\.jpe?g$/i).filter((f) => splitOf(f) === 'calibration');
  console.log(`calibrating on ${images.length} JPEGs (the calibration split of ${data})`);
  const method = rest[0] === '--method' ? (rest[1] as 'minmax' | 'mean-minmax') : 'minmax';
  const { ranges: stats, means } = await calibrate(
    fp32,
    images.map((f) => ({ name: f, data: caffeInput(path.join(data, f)) })),
    (n) => process.stdout.write(`  ${n}\n`),
  );
  writeFileSync(path.join(root, 'tests/tmp/calibration-stats.json'), JSON.stringify({ stats: [...stats], means: [...means].map(([k, v]) => [k, [...v]]) }));
  const convInputs = new Set(
    graphOf(decodeModel(fp32))
      .node.filter((n) => n.opType === 'Conv')
      .map((n) => n.input[0]),
  );
  const ranges = rangesFrom(stats, method);
  const recipe: Recipe = {
    $comment: 'Made by `npm run quantize -- calibrate`; `npm run models` derives resnet50-keras-int8.onnx from the fp32 file and these ranges.',
    kind: 'qdq-int8',
    source: { id: 'resnet50-keras-fp32', file: path.basename(fp32File), sha256: sha(fp32) },
    floatResidual: true,
    calibration: { method, split: 'sha256(relative path)[0] < 128 of the dev JPEGs', images },
    ranges,
    means: Object.fromEntries([...means].filter(([k]) => convInputs.has(k)).map(([k, v]) => [k, [...v].map((x) => Number(x.toPrecision(5)))])),
  };
  writeFileSync(recipeFile, `${JSON.stringify(recipe, null, 1)}\n`);
  console.log(`wrote ${path.relative(root, recipeFile)} (${Object.keys(ranges).length} tensors)`);
} else if (cmd === 'build') {
  const out = rest[0] === '--out' ? path.resolve(rest[1]) : int8File;
  const fp32 = new Uint8Array(readFileSync(fp32File));
  const t0 = performance.now();
  const bytes = buildFromRecipe(recipeFile, fp32, sha(fp32));
  writeFileSync(out, bytes);
  console.log(`${out}: ${bytes.length} bytes, sha256 ${sha(bytes)} (${Math.round(performance.now() - t0)} ms)`);
} else if (cmd === 'evaluate') {
  const opts = { intraOpNumThreads: 2, graphOptimizationLevel: 'all' as const };
  const [a, b] = await Promise.all([ort.InferenceSession.create(fp32File, opts), ort.InferenceSession.create(int8File, opts)]);
  const stats = { calibration: { n: 0, top1: 0, top5: 0 }, 'held-out': { n: 0, top1: 0, top5: 0 } };
  let maxDiff = 0;
  for (const f of devPhotos(data, /\.jpe?g$/i)) {
    let pixels: Float32Array;
    try {
      pixels = caffeInput(path.join(data, f));
    } catch (e) {
      console.log(`  ${f}: skipped, jpeg-js cannot decode it (${(e as Error).message})`);
      continue;
    }
    const input = { input: new ort.Tensor('float32', pixels, [1, 3, 224, 224]) };
    const [pa, pb] = [(await a.run(input)).probs.data as Float32Array, (await b.run(input)).probs.data as Float32Array];
    const [ta, tb] = [topK(pa, 5), topK(pb, 5)];
    const s = stats[splitOf(f)];
    s.n++;
    if (ta[0] === tb[0]) s.top1++;
    if (tb.includes(ta[0])) s.top5++;
    maxDiff = Math.max(maxDiff, ...pa.map((v, i) => Math.abs(v - pb[i])));
    if (ta[0] !== tb[0])
      console.log(
        `  ${f}: fp32 ${ta[0]} (${pa[ta[0]].toFixed(3)}) vs int8 ${tb[0]} (${pb[tb[0]].toFixed(3)}), fp32 top-1 ${tb.includes(ta[0]) ? 'in' : 'NOT in'} int8 top-5`,
      );
  }
  const all = { n: 0, top1: 0, top5: 0 };
  for (const [k, s] of Object.entries(stats)) {
    console.log(`${k}: ${s.n} images, top-1 agrees ${s.top1}/${s.n} (${((100 * s.top1) / s.n).toFixed(1)} %), fp32 top-1 in int8 top-5 ${s.top5}/${s.n}`);
    all.n += s.n;
    all.top1 += s.top1;
    all.top5 += s.top5;
  }
  console.log(
    `all: ${all.n} images, top-1 ${((100 * all.top1) / all.n).toFixed(1)} %, top-5 ${((100 * all.top5) / all.n).toFixed(1)} %; max |Δp| ${maxDiff.toFixed(3)}`,
  );
} else if (cmd === 'compare' && rest.length === 2) {
  // Two `npm run batch -- --stages classify --out x.json` outputs over the same photos (the app's own decode, resize
  // and WASM inference): files matched by sha256, split by their path under DATA.
  type Out = { images: { file: string; sha256: string; classification?: { modelId: string; top5: { index: number }[] } }[] };
  const [a, b] = rest.map((f) => JSON.parse(readFileSync(f, 'utf8')) as Out);
  const where = new Map(devPhotos(data, /\.(jpe?g|png|webp|gif|bmp)$/i).map((f) => [sha(readFileSync(path.join(data, f))), f]));
  const other = new Map(b.images.map((i) => [i.sha256, i]));
  const stats = { calibration: { n: 0, top1: 0, top5: 0 }, 'held-out': { n: 0, top1: 0, top5: 0 } };
  for (const x of a.images) {
    const y = other.get(x.sha256);
    const rel = where.get(x.sha256);
    if (!x.classification || !y?.classification || !rel) continue;
    const ta = x.classification.top5.map((l) => l.index);
    const tb = y.classification.top5.map((l) => l.index);
    const s = stats[splitOf(rel)];
    s.n++;
    if (ta[0] === tb[0]) s.top1++;
    if (tb.includes(ta[0])) s.top5++;
    if (ta[0] !== tb[0]) console.log(`  ${rel}: ${x.classification.modelId} ${ta[0]} vs ${y.classification.modelId} ${tb[0]}`);
  }
  const n = stats.calibration.n + stats['held-out'].n;
  for (const [k, s] of Object.entries(stats))
    console.log(`${k}: ${s.n} photos, top-1 agrees ${s.top1}/${s.n}, first's top-1 in second's top-5 ${s.top5}/${s.n}`);
  const t1 = stats.calibration.top1 + stats['held-out'].top1;
  const t5 = stats.calibration.top5 + stats['held-out'].top5;
  console.log(`all: ${n} photos, top-1 ${((100 * t1) / n).toFixed(1)} % (${t1}), top-5 ${((100 * t5) / n).toFixed(1)} % (${t5})`);
} else {
  console.error('usage: npm run quantize -- calibrate [--method minmax|mean-minmax] | build [--out file] | evaluate | compare a.json b.json');
  process.exit(2);
}
