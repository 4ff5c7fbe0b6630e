// npm run bench:analytics — analytics query time at 10k and 100k records, k-means and PCA on 10k
// embeddings, and recommendation latency. Same code as the analytics worker, timed in Node's V8 (the
// browser worker runs the same JS on the same engine). Prints a table; writes bench/results/analytics-*.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { aggregate, type AnalyticsRecord } from '../src/shared/aggregate.ts';
import { recommend, type Candidate } from '../src/ml/analytics/recommend.ts';
import { kmeans, pca2, rng, silhouette } from '../src/ml/analytics/vectors.ts';

const r = rng(42);
const pick = <T>(a: T[]) => a[Math.floor(r() * a.length)];
const LABELS = Array.from({ length: 300 }, (_, i) => `label-${i}`);

function records(n: number): AnalyticsRecord[] {
  return Array.from({ length: n }, (_, i) => ({
    id: String(i),
    addedAt: i,
    month: `20${10 + Math.floor(r() * 15)}-${String(1 + Math.floor(r() * 12)).padStart(2, '0')}`,
    tag: pick(['safe', 'safe', 'safe', 'alcohol', 'violence', 'nudity-risk']),
    label: pick(LABELS),
    objects: [pick(['person', 'car', 'dog', 'cup', 'bottle']), pick(['person', 'chair'])],
    people: r() < 0.1 ? [pick(['Ann', 'Bo', 'Cy'])] : [],
    camera: pick(['', 'Canon EOS 40D', 'NIKON D70', 'Google Pixel']),
    lens: pick(['', '50mm', '24-70mm']),
    creator: pick(['', 'jdoe', 'amy', 'lee']),
    source: pick(['file', 'folder', 'url']),
    megapixels: r() * 24,
    colour: [Math.floor(r() * 12), Math.floor(r() * 3)],
  }));
}

function time<T>(fn: () => T, runs = 5): { median: number; result: T } {
  const t: number[] = [];
  let result!: T;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    result = fn();
    t.push(performance.now() - t0);
  }
  t.sort((a, b) => a - b);
  return { median: t[Math.floor(t.length / 2)], result };
}

const rows: { what: string; n: number; ms: number; note: string }[] = [];
for (const n of [10_000, 100_000]) {
  const rs = records(n);
  rows.push({ what: 'all charts, no filter', n, ms: time(() => aggregate(rs)).median, note: 'one pass computes every chart' });
  rows.push({ what: 'all charts, tag + date filter', n, ms: time(() => aggregate(rs, { tag: 'safe', from: '2015-01', to: '2020-12' })).median, note: '' });
}
// 10k embeddings of 2048 floats with 8 planted clusters.
const D = 2048;
const centres = Array.from({ length: 8 }, () => Float32Array.from({ length: D }, () => r()));
const emb = Array.from({ length: 10_000 }, (_, i) => centres[i % 8].map((x) => x + (r() - 0.5) * 0.5));
const km = time(() => kmeans(emb, 8, 1, 20), 1);
rows.push({ what: 'k-means k=8 (≤ 20 iterations)', n: emb.length, ms: km.median, note: `${km.result.iterations} iterations` });
rows.push({ what: 'silhouette (500-point sample)', n: emb.length, ms: time(() => silhouette(emb, km.result.assign), 1).median, note: '' });
rows.push({ what: 'PCA to 2-D (fit on 2,000 rows, project all)', n: emb.length, ms: time(() => pca2(emb), 1).median, note: '' });
const cands: Candidate[] = emb.map((v, i) => ({ id: String(i), name: `${i}.jpg`, vector: v, labels: [pick(LABELS), pick(LABELS), pick(LABELS)], tag: 'safe' }));
rows.push({
  what: 'recommendations (20, 5 likes, 2 hides)',
  n: cands.length,
  ms: time(() => recommend(cands, { liked: ['1', '2', '3', '4', '5'], hidden: ['9', '10'], seen: [] }, 20), 3).median,
  note: 'centre + score + MMR',
});

console.log('| what | n | median ms | note |\n|---|---:|---:|---|');
for (const x of rows) console.log(`| ${x.what} | ${x.n} | ${x.ms.toFixed(1)} | ${x.note} |`);
const charts100k = rows.filter((x) => x.n === 100_000 && x.what.startsWith('all charts'));
const ok = charts100k.every((x) => x.ms < 500);
console.log(`\nall charts at 100k records < 500 ms: ${ok ? 'yes' : 'NO'}`);
const dir = path.resolve(import.meta.dirname, 'results');
mkdirSync(dir, { recursive: true });
const out = { date: new Date().toISOString(), node: process.version, cpus: os.cpus().length, rows, charts100kUnder500ms: ok };
writeFileSync(path.join(dir, `analytics-${out.date.replace(/[:.]/g, '-')}.json`), JSON.stringify(out, null, 2));
writeFileSync(path.join(dir, 'analytics-latest.json'), JSON.stringify(out, null, 2));
process.exit(ok ? 0 : 1);
