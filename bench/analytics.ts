// npm run bench:analytics — the Node baseline of the analytics part of `npm run bench`: flattening and every chart at
// 10k and 100k records, k-means, silhouette and PCA on 10k embeddings, and recommendations, on the same synthetic
// records the browser part seeds into IndexedDB (src/shared/synthetic.ts), with the same code the analytics worker
// and the For you view run, timed in Node's V8. Prints a table; writes bench/results/analytics-*.json, or the
// file given with --out (what `npm run bench -- --only analytics` does to get its browser/Node ratios).
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { aggregate, toRecord, type AnalyticsRecord, type Filters } from '../src/shared/aggregate.ts';
import { decodeRows, encodeRows, flatRow } from '../src/shared/analytics-snapshot.ts';
import { recommend, type Candidate } from '../src/ml/analytics/recommend.ts';
import { kmeans, pca2, silhouette } from '../src/ml/analytics/vectors.ts';
import { SYNTHETIC_PROFILES, syntheticEmbeddings, syntheticRecords } from './synthetic.ts';
import type { ClassificationResult, DetectionResult, ImageRecord, StageResult } from '../src/shared/types.ts';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '10000,100000' },
    embeddings: { type: 'string', default: '10000' },
    runs: { type: 'string', default: '5' },
    filter: { type: 'string', default: JSON.stringify({ tag: 'safe', from: '2015-01', to: '2020-12' }) },
    'target-ms': { type: 'string', default: '500' },
    out: { type: 'string' },
  },
});
const sizes = values.sizes.split(',').map(Number);
const embeddings = Number(values.embeddings);
const runs = Number(values.runs);
const filtered = JSON.parse(values.filter) as Filters;
const targetMs = Number(values['target-ms']);
if (![...sizes, embeddings, runs, targetMs].every((x) => Number.isInteger(x) && x > 0))
  throw new Error('--sizes, --embeddings, --runs and --target-ms take positive integers');
const SEED = 42;

/** Records flattened as the analytics worker does (toRecord with the newest results and the profile names). */
function flatten(images: ImageRecord[], results: StageResult[]): AnalyticsRecord[] {
  const cls = new Map<string, ClassificationResult>();
  const det = new Map<string, DetectionResult>();
  for (const r of results) (r.stage === 'classify' ? cls : det).set(r.imageId, r as never);
  const names = new Map(SYNTHETIC_PROFILES.map((p) => [p.profileId, p.name]));
  return images.map((im) => toRecord(im, cls.get(im.id), det.get(im.id), names));
}

/** Median of `n` timed calls; `warm` untimed calls first (the browser's repeated queries run warm code too). */
function time<T>(fn: () => T, n = runs, warm = 0): { median: number; result: T } {
  for (let i = 0; i < warm; i++) fn();
  const t: number[] = [];
  let result!: T;
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    result = fn();
    t.push(performance.now() - t0);
  }
  t.sort((a, b) => a - b);
  return { median: t[Math.floor(t.length / 2)], result };
}

const rows: { what: string; n: number; ms: number; note: string }[] = [];
const all = syntheticRecords(0, Math.max(...sizes), SEED);
for (const n of sizes) {
  const flat = time(() => flatten(all.images.slice(0, n), all.results.slice(0, 2 * n)), 1);
  rows.push({ what: 'flatten (toRecord, newest results)', n, ms: flat.median, note: 'the worker does this once after a library change' });
  rows.push({ what: 'all charts, no filter', n, ms: time(() => aggregate(flat.result), runs, 1).median, note: 'one pass computes every chart' });
  rows.push({ what: 'all charts, tag + date filter', n, ms: time(() => aggregate(flat.result, filtered), runs, 1).median, note: JSON.stringify(filtered) });
  // The worker's persisted snapshot of those rows (with each image's labels for recommendations): decoding it is what a fresh worker does.
  const encoded = encodeRows(
    flat.result.map((r, i) =>
      flatRow(
        r,
        2,
        null,
        r.id,
        false,
        (all.results[2 * i] as ClassificationResult).labels.map((l) => l.label),
      ),
    ),
  );
  rows.push({
    what: 'snapshot decode (persisted flat rows)',
    n,
    ms: time(() => decodeRows(encoded), runs, 1).median,
    note: 'a fresh worker, before the delta',
  });
}
const emb = syntheticEmbeddings(0, embeddings, SEED);
const km = time(() => kmeans(emb, 8, 1), 1);
rows.push({ what: 'k-means k=8', n: emb.length, ms: km.median, note: `${km.result.iterations} iterations` });
rows.push({ what: 'silhouette (500-point sample)', n: emb.length, ms: time(() => silhouette(emb, km.result.assign), 1).median, note: '' });
rows.push({ what: 'PCA to 2-D (fit on 2,000 rows, project all)', n: emb.length, ms: time(() => pca2(emb), 1).median, note: '' });
const cands: Candidate[] = emb.map((vector, i) => {
  const c = all.results[2 * i] as ClassificationResult;
  return { id: all.images[i].id, name: all.images[i].name, vector, labels: c.labels.map((l) => l.label), tag: c.tag.tag };
});
// The same profile as the browser part (src/pipeline/analytics-bench.ts): every 97th image liked, every 89th from the end hidden.
const ids = cands.map((c) => c.id);
const signals = {
  liked: Array.from({ length: 5 }, (_, i) => ids[(i * 97) % ids.length]),
  hidden: Array.from({ length: 2 }, (_, i) => ids[ids.length - 1 - ((i * 89) % ids.length)]),
  seen: [],
};
rows.push({
  what: 'recommendations (20, 5 likes, 2 hides)',
  n: cands.length,
  ms: time(() => recommend(cands, signals, 20), 3).median,
  note: 'centre + score + MMR',
});

console.log('| what | n | median ms | note |\n|---|---:|---:|---|');
for (const x of rows) console.log(`| ${x.what} | ${x.n} | ${x.ms.toFixed(1)} | ${x.note} |`);
const big = Math.max(...sizes);
const ok = rows.filter((x) => x.n === big && x.what.startsWith('all charts')).every((x) => x.ms < targetMs);
console.log(`\nall charts at ${big} records < ${targetMs} ms (Node, compute only): ${ok ? 'yes' : 'NO'}`);
const out = {
  date: new Date().toISOString(),
  node: process.version,
  cpus: os.cpus().length,
  loadavg: os.loadavg(),
  filter: filtered,
  rows,
  chartsUnderTarget: ok,
};
if (values.out) writeFileSync(values.out, JSON.stringify(out, null, 2));
else {
  const dir = path.resolve(import.meta.dirname, 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, `analytics-${out.date.replace(/[:.]/g, '-')}.json`), JSON.stringify(out, null, 2));
  writeFileSync(path.join(dir, 'analytics-latest.json'), JSON.stringify(out, null, 2));
}
process.exit(ok ? 0 : 1);
