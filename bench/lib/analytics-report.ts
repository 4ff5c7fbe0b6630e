// The report lines of the analytics part of `npm run bench` (bench/lib/analytics.ts runs it).
import { BATCH, type AggregateRun, type AnalyticsResult, type MainSummary, type Responsiveness } from './analytics.ts';
import { pct, round } from './stats.ts';

const median = (xs: number[]) => (xs.length ? [...xs].sort((p, q) => p - q)[Math.floor(xs.length / 2)] : 0);

export function mainSummary(xs: Responsiveness[]): MainSummary {
  return {
    maxFrameGapMs: round(Math.max(...xs.map((x) => x.maxFrameGapMs))),
    maxTimerGapMs: round(Math.max(...xs.map((x) => x.maxTimerGapMs))),
    longTasks: xs.reduce((s, x) => s + x.longTasks, 0),
    longestTaskMs: round(Math.max(...xs.map((x) => x.longestTaskMs))),
    frames: xs.reduce((s, x) => s + x.frames, 0),
  };
}

export const fmt = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
/** "1234 ms (worker, delta of 1060 images: load 200 ms of which IndexedDB 150 ms, charts 60 ms; N images); main thread: …" */
export const firstLine = (r: AggregateRun) =>
  `${fmt(r.wallMs)} ms (worker, ${r.how}${r.how === 'cached' ? '' : ` of ${r.changed} images`}: load ${fmt(r.loadMs)} ms of which IndexedDB ${fmt(r.readMs)} ms, ` +
  `charts ${fmt(r.queryMs)} ms; ${r.total} images); ${mainLine(mainSummary([r.main]))}`;
export const mainLine = (m: MainSummary) =>
  `main thread: longest setTimeout gap ${fmt(m.maxTimerGapMs)} ms, longest frame gap ${fmt(m.maxFrameGapMs)} ms, ${m.longTasks} long tasks (longest ${fmt(m.longestTaskMs)} ms)`;

/** The report lines of the analytics part. */
export function formatAnalytics(a: AnalyticsResult | null): string[] {
  if (!a) return ['analytics: skipped'];
  const rows: string[][] = [['analytics (browser, Chromium)', 'n', 'median ms', 'max ms', 'worker ms', 'Node ms', 'main: stall / task ms']];
  const main = (m: { maxTimerGapMs: number; longestTaskMs: number }) => `${fmt(m.maxTimerGapMs)} / ${fmt(m.longestTaskMs)}`;
  const nodeMs = (what: string, n: number) => {
    const x = a.node.find((r) => r.what.startsWith(what) && r.n === n);
    return x ? fmt(x.ms) : '–';
  };
  const first = (label: string, r: AggregateRun, n: number, node: string) =>
    rows.push([
      `${label} (${r.how}, ${r.changed} read: IndexedDB + rest + charts)`,
      String(n),
      fmt(r.wallMs),
      fmt(r.wallMs),
      `${fmt(r.readMs)} + ${fmt(r.loadMs - r.readMs)} + ${fmt(r.queryMs)}`,
      node,
      main(r.main),
    ]);
  for (const s of a.sizes) {
    first('first query after seeding', s.first, s.n, `– + ${nodeMs('flatten', s.n)} + ${nodeMs('all charts, no filter', s.n)}`);
    first('first query, fresh worker', s.cold, s.n, `– + ${nodeMs('snapshot decode', s.n)} + ${nodeMs('all charts, no filter', s.n)}`);
    first(`first query after adding ${BATCH} images`, s.batch, s.batch.total, '–');
    first('first query after deleting one', s.deleted, s.deleted.total, '–');
    for (const [label, q, w] of [
      ['all charts, no filter', s.unfiltered, 'all charts, no filter'],
      ['all charts, tag + date filter', s.filtered, 'all charts, tag + date'],
    ] as const)
      rows.push([label, String(s.n), fmt(q.wall.median), fmt(q.wall.max), fmt(q.query.median), nodeMs(w, s.n), main(q.main)]);
  }
  for (const c of a.cluster) {
    const t = c.timings;
    const label = c.auto
      ? `cluster, k by silhouette (→ ${c.k}): choose k ${fmt(t.chooseKMs)} (silhouette ${fmt(t.chooseKSilhouetteMs)}) + k-means ${fmt(t.kmeansMs)} + PCA ${fmt(t.pcaMs)}`
      : `cluster, k=8: k-means ${fmt(t.kmeansMs)} (${t.iterations} it.) + PCA ${fmt(t.pcaMs)}`;
    const nodeK = c.auto ? '–' : `${nodeMs('k-means', c.n)} + ${nodeMs('PCA', c.n)}`;
    rows.push([`${label} (${c.dim}-d)`, String(c.n), fmt(c.wallMs), fmt(c.wallMs), fmt(c.workerMs), nodeK, main(c.main)]);
  }
  const r = a.recommend;
  if (r) {
    const f = r.first;
    rows.push([
      `recommendations (20), fresh worker: load ${fmt(f.loadMs)} (IndexedDB ${fmt(f.readMs)}) + centring ${fmt(f.prepareMs)} + scoring ${fmt(f.computeMs)}`,
      String(f.n),
      fmt(f.wallMs),
      fmt(f.wallMs),
      fmt(f.loadMs + f.prepareMs + f.computeMs),
      nodeMs('recommendations', f.n),
      main(f.main),
    ]);
    rows.push([
      'recommendations (20) after each further like',
      String(f.n),
      fmt(r.again.median),
      fmt(r.again.max),
      fmt(median(r.runs.slice(1).map((x) => x.loadMs + x.prepareMs + x.computeMs))),
      '–',
      main(mainSummary(r.runs.slice(1).map((x) => x.main))),
    ]);
  }
  if (a.similar)
    rows.push([
      'similar images (6)',
      String(a.recommend?.first.n ?? ''),
      fmt(a.similar.wall.median),
      fmt(a.similar.wall.max),
      fmt(median(a.similar.runs.map((x) => x.loadMs + x.prepareMs + x.computeMs))),
      '–',
      main(a.similar.main),
    ]);
  const widths = rows[0].map((_, c) => Math.max(...rows.map((x) => x[c].length)));
  const line = (x: string[]) => `| ${x.map((cell, c) => (c >= 1 ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join(' | ')} |`;
  const out = [
    line(rows[0]),
    `|${widths.map((w, c) => (c >= 1 ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`,
    ...rows.slice(1).map(line),
    `median/max: wall time on the main thread, ${a.options.runs} queries each; worker ms: compute inside the worker (first query: read + flatten + charts); ` +
      `Node: the same code in Node's V8 on the same records; main: the longest gap between setTimeout(0) ticks on the page's main thread while it ran ` +
      `(idle page: ${fmt(a.idle.maxTimerGapMs)} ms; includes time the OS gave to other processes) / its longest task (Long Tasks API; 0: none over 50 ms).`,
  ];
  if (a.ratios.length) out.push(`browser / Node (same records, same code): ${a.ratios.map((x) => `${x.what} ${x.n}: ${x.ratio.toFixed(2)}×`).join('; ')}`);
  const t = a.target;
  out.push(
    `analytics target, all charts < ${t.ms} ms at ${t.first.n} records: ${t.pass ? 'PASS' : 'FAIL'} (${t.checks.map((c) => `${c.what}: median ${fmt(c.medianMs)}, max ${fmt(c.maxMs)} ms`).join('; ')}); ` +
      `first queries after a change (informational): after seeding (everything read) ${fmt(t.first.ms)} ms, ${t.first.pass ? 'within' : 'OVER'} the target; ` +
      `a fresh worker (snapshot + delta) ${fmt(t.cold.ms)} ms, ${t.cold.pass ? 'within' : 'OVER'}`,
    `analytics responsiveness while the ${a.responsive.n}-record queries run (first and repeated): longest main-thread task ${fmt(a.responsive.longestTaskMs)} ms ` +
      `(${a.responsive.longTasks} over 50 ms; bound ${a.responsive.boundMs} ms): ${a.responsive.pass ? 'PASS' : 'FAIL'}; longest setTimeout(0) gap ${fmt(a.responsive.maxTimerGapMs)} ms ` +
      `(idle page: ${fmt(a.responsive.idleTimerGapMs)} ms), longest frame gap ${fmt(a.responsive.maxFrameGapMs)} ms`,
  );
  const cpus = a.sizes.map((s) => `${s.n}: ${pct(s.cpu?.others ?? null)}`).join(', ');
  out.push(`analytics others CPU (queries per size): ${cpus}`);
  return out;
}
