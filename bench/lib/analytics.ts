// The analytics part of `npm run bench`. Browser: a synthetic library (src/shared/synthetic.ts) seeded into
// IndexedDB through the ?debug hooks (src/pipeline/analytics-bench.ts), then the analytics worker's aggregate at each
// size (the first query after the library changed, then repeated queries, unfiltered and filtered), clustering of the
// embeddings (k-means + PCA, and k chosen by silhouette) and recommendations, with the main thread watched while they
// run. Node: bench/analytics.ts (`npm run bench:analytics`) in a child process, the same code on the same records.
// The hooks' result types are restated here, as lib/browser.ts does for its hooks: the bench is type-checked with
// Node's module resolution, the app with the bundler's.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { openApp } from './browser.ts';
import { cpuMeter, type CpuReading } from './cpu.ts';
import { ROOT } from './server.ts';
import { log, pct, round, roundSummary, summarize, withTimeout, type Summary } from './stats.ts';

/** src/shared/aggregate.ts Filters. */
type Filters = Partial<Record<'from' | 'to' | 'tag' | 'label' | 'person' | 'source', string>>;

/** The filtered query: one tag and a six-year date range (about a fifth of the records). */
export const FILTERED: Filters = { tag: 'safe', from: '2015-01', to: '2020-12' };
const LIKED = 5;
const HIDDEN = 2;

export interface AnalyticsOptions {
  /** Library sizes, ascending; records are added to reach each (default 10,000 then 100,000). */
  sizes: number[];
  /** Embeddings (2,048 floats) for the first this many records; clustering and recommendations run at this size. */
  embeddings: number;
  /** Repeated queries per size and filter. */
  runs: number;
  targetMs: number;
  /** Longest main-thread task (Long Tasks API) allowed while the biggest size's queries run. */
  responsiveMs: number;
  /** Also cluster with k chosen by silhouette (k = 2..8: seven k-means and silhouettes, then the final one). */
  autoK: boolean;
}

// Results of the page's hooks (src/pipeline/analytics-bench.ts).
interface Seeded {
  images: number;
  results: number;
  embeddings: number;
  generateMs: number;
  putMs: number;
}
export interface Responsiveness {
  wallMs: number;
  frames: number;
  maxFrameGapMs: number;
  timerTicks: number;
  maxTimerGapMs: number;
  longTasks: number;
  longestTaskMs: number;
}
interface AggregateRun {
  wallMs: number;
  loadMs: number;
  readMs: number;
  queryMs: number;
  total: number;
  main: Responsiveness;
}
interface ClusterRun {
  listMs: number;
  wallMs: number;
  workerMs: number;
  timings: { chooseKMs: number; chooseKSilhouetteMs: number; kmeansMs: number; iterations: number; pcaMs: number };
  n: number;
  dim: number;
  k: number;
  auto: boolean;
  explained: [number, number];
  main: Responsiveness;
}
interface RecommendRun {
  candidatesMs: number;
  recommendMs: number;
  wallMs: number;
  n: number;
  returned: number;
  main: Responsiveness;
}
interface Hooks {
  seed(from: number, to: number, embeddingsBelow: number): Promise<Seeded>;
  idle(ms: number): Promise<Responsiveness>;
  aggregate(filters: Filters, runs: number): Promise<AggregateRun[]>;
  cluster(k: number | null): Promise<ClusterRun>;
  recommendations(liked: number, hidden: number, runs: number): Promise<RecommendRun[]>;
}

export interface NodeRow {
  what: string;
  n: number;
  ms: number;
  note: string;
}

/** bench/analytics.ts in a child process (its own heap), on the same records and filter. */
async function nodeBaseline(sizes: number[], embeddings: number, runs: number): Promise<NodeRow[]> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'sightline-analytics-'));
  const out = path.join(dir, 'node.json');
  try {
    const args = ['--import', 'tsx', 'bench/analytics.ts', '--sizes', sizes.join(','), '--embeddings', String(embeddings), '--runs', String(runs)];
    await new Promise<void>((resolve, reject) =>
      execFile(process.execPath, [...args, '--filter', JSON.stringify(FILTERED), '--out', out], { cwd: ROOT, timeout: 600_000 }, (e, _stdout, stderr) =>
        // Exit code 1 only says its own target check failed: the rows are still written.
        e && (e as { code?: unknown }).code !== 1 ? reject(new Error(`bench/analytics.ts failed: ${e.message}\n${stderr}`)) : resolve(),
      ),
    );
    return (JSON.parse(await readFile(out, 'utf8')) as { rows: NodeRow[] }).rows;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Per repeated query: wall time summary, worker compute summary, and the main thread's worst moment. */
export interface QuerySeries {
  filters: Filters;
  total: number;
  wall: Summary;
  query: Summary;
  load: Summary;
  main: MainSummary;
}

export interface MainSummary {
  maxFrameGapMs: number;
  maxTimerGapMs: number;
  longTasks: number;
  longestTaskMs: number;
  frames: number;
}

export interface SizeResult {
  n: number;
  seed: Seeded & { wallMs: number };
  /** The first query after the library changed: the worker reads IndexedDB and flattens every record. */
  first: AggregateRun;
  unfiltered: QuerySeries;
  filtered: QuerySeries;
  cpu: CpuReading | null;
}

export interface AnalyticsResult {
  options: AnalyticsOptions;
  idle: Responsiveness;
  sizes: SizeResult[];
  cluster: (ClusterRun & { cpu: CpuReading | null })[];
  recommend: { runs: RecommendRun[]; wall: Summary; candidates: Summary; recommend: Summary; main: MainSummary; cpu: CpuReading | null } | null;
  node: NodeRow[];
  /** Browser ÷ Node for the same computation. */
  ratios: { what: string; n: number; browserMs: number; nodeMs: number; ratio: number }[];
  target: {
    ms: number;
    /** Repeated queries at the biggest size (what a filter change costs): wall-time median and max. */
    checks: { what: string; n: number; medianMs: number; maxMs: number; pass: boolean }[];
    /** The first query after a library change at the biggest size (IndexedDB read + flatten + query). */
    first: { n: number; ms: number; pass: boolean };
    pass: boolean;
  };
  /**
   * The main thread while the biggest size's queries (first and repeated) ran: the check is on the longest task the
   * page itself ran (Long Tasks API); the setTimeout(0) and frame gaps also count time the OS gave to other processes.
   */
  responsive: {
    boundMs: number;
    n: number;
    longestTaskMs: number;
    longTasks: number;
    maxTimerGapMs: number;
    maxFrameGapMs: number;
    idleTimerGapMs: number;
    pass: boolean;
  };
  pageErrors: string[];
}

type HooksGlobal = { __sightline: { analyticsBench(): Promise<Hooks> } };

/** Calls one of the page's analytics hooks with JSON-able arguments. */
function hook<K extends keyof Hooks>(page: Page, name: K, args: Parameters<Hooks[K]>, ms: number, what: string): Promise<Awaited<ReturnType<Hooks[K]>>> {
  return withTimeout(
    page.evaluate(
      async ([n, a]) => {
        const h = await (globalThis as unknown as HooksGlobal).__sightline.analyticsBench();
        return (h[n] as (...x: unknown[]) => Promise<unknown>)(...a);
      },
      [name, args] as [K, unknown[]],
    ) as Promise<Awaited<ReturnType<Hooks[K]>>>,
    ms,
    what,
  );
}

function mainSummary(xs: Responsiveness[]): MainSummary {
  return {
    maxFrameGapMs: round(Math.max(...xs.map((x) => x.maxFrameGapMs))),
    maxTimerGapMs: round(Math.max(...xs.map((x) => x.maxTimerGapMs))),
    longTasks: xs.reduce((s, x) => s + x.longTasks, 0),
    longestTaskMs: round(Math.max(...xs.map((x) => x.longestTaskMs))),
    frames: xs.reduce((s, x) => s + x.frames, 0),
  };
}

function series(filters: Filters, runs: AggregateRun[]): QuerySeries {
  return {
    filters,
    total: runs[0].total,
    wall: roundSummary(summarize(runs.map((r) => r.wallMs))),
    query: roundSummary(summarize(runs.map((r) => r.queryMs))),
    load: roundSummary(summarize(runs.map((r) => r.loadMs))),
    main: mainSummary(runs.map((r) => r.main)),
  };
}

const fmt = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
const mainLine = (m: MainSummary) =>
  `main thread: longest setTimeout gap ${fmt(m.maxTimerGapMs)} ms, longest frame gap ${fmt(m.maxFrameGapMs)} ms, ${m.longTasks} long tasks (longest ${fmt(m.longestTaskMs)} ms)`;

export async function benchAnalytics(
  browser: Browser,
  baseUrl: string,
  opts: AnalyticsOptions,
  settle: (label: string) => Promise<void>,
  problems: string[],
): Promise<AnalyticsResult> {
  const sizes = [...new Set(opts.sizes)].sort((a, b) => a - b);
  const embeddings = Math.min(opts.embeddings, sizes[0]);
  const { context, page, errors } = await openApp(browser, baseUrl, '/?debug');
  const result: AnalyticsResult = {
    options: { ...opts, sizes },
    idle: null as unknown as Responsiveness,
    sizes: [],
    cluster: [],
    recommend: null,
    node: [],
    ratios: [],
    target: { ms: opts.targetMs, checks: [], first: { n: 0, ms: 0, pass: false }, pass: false },
    responsive: { boundMs: opts.responsiveMs, n: 0, longestTaskMs: 0, longTasks: 0, maxTimerGapMs: 0, maxFrameGapMs: 0, idleTimerGapMs: 0, pass: false },
    pageErrors: errors,
  };
  try {
    result.idle = await hook(page, 'idle', [2000], 30_000, 'idle()');
    log(`analytics: idle main thread over 2 s: ${mainLine(mainSummary([result.idle]))}`);
    let have = 0;
    for (const n of sizes) {
      const t0 = performance.now();
      const seeded = await hook(page, 'seed', [have, n, embeddings], 600_000, `seed(${have}, ${n})`);
      const seed = { ...seeded, wallMs: round(performance.now() - t0) };
      log(
        `analytics: seeded records ${have}…${n - 1} into IndexedDB (${seeded.images} images, ${seeded.results} results, ${seeded.embeddings} embeddings) ` +
          `in ${(seed.wallMs / 1000).toFixed(1)} s (generate ${(seeded.generateMs / 1000).toFixed(1)} s, bulkPut ${(seeded.putMs / 1000).toFixed(1)} s)`,
      );
      have = n;
      await settle(`analytics ${n}`);
      const cpu = cpuMeter();
      const [first] = await hook(page, 'aggregate', [{}, 1], 300_000, `first aggregate at ${n}`);
      log(
        `analytics ${n}: first query after the change ${fmt(first.wallMs)} ms (worker: IndexedDB read ${fmt(first.readMs)} ms, flatten ${fmt(first.loadMs - first.readMs)} ms, ` +
          `charts ${fmt(first.queryMs)} ms; ${first.total} images); ${mainLine(mainSummary([first.main]))}`,
      );
      const unfiltered = series({}, await hook(page, 'aggregate', [{}, opts.runs], 300_000, `aggregate at ${n}`));
      const filtered = series(FILTERED, await hook(page, 'aggregate', [FILTERED, opts.runs], 300_000, `filtered aggregate at ${n}`));
      for (const [label, s] of [
        ['all charts', unfiltered],
        ['all charts, tag + date filter', filtered],
      ] as const)
        log(
          `analytics ${n}: ${label}: median ${fmt(s.wall.median)} ms, max ${fmt(s.wall.max)} ms per query (worker charts ${fmt(s.query.median)} ms; ${s.total} images); ${mainLine(s.main)}`,
        );
      result.sizes.push({ n, seed, first, unfiltered, filtered, cpu: cpu.stop() });

      if (n === sizes[0] && embeddings >= 3) {
        for (const k of opts.autoK ? [8, null] : [8]) {
          await settle(`analytics cluster k=${k ?? 'auto'}`);
          const c = cpuMeter();
          const r = await hook(page, 'cluster', [k], 600_000, `cluster(k=${k ?? 'auto'})`);
          result.cluster.push({ ...r, cpu: c.stop() });
          const t = r.timings;
          log(
            `analytics cluster ${r.n}×${r.dim} k=${k ?? `auto → ${r.k}`}: ${fmt(r.wallMs)} ms in all, worker ${fmt(r.workerMs)} ms ` +
              `(${k === null ? `choose k ${fmt(t.chooseKMs)} ms of which silhouette ${fmt(t.chooseKSilhouetteMs)} ms, ` : ''}k-means ${fmt(t.kmeansMs)} ms / ${t.iterations} iterations, PCA ${fmt(t.pcaMs)} ms); ${mainLine(mainSummary([r.main]))}`,
          );
        }
        await settle('analytics recommendations');
        const c = cpuMeter();
        const runs = await hook(page, 'recommendations', [LIKED, HIDDEN, 3], 600_000, 'recommendations');
        result.recommend = {
          runs,
          wall: roundSummary(summarize(runs.map((r) => r.wallMs))),
          candidates: roundSummary(summarize(runs.map((r) => r.candidatesMs))),
          recommend: roundSummary(summarize(runs.map((r) => r.recommendMs))),
          main: mainSummary(runs.map((r) => r.main)),
          cpu: c.stop(),
        };
        const rr = result.recommend;
        log(
          `analytics recommendations over ${runs[0].n} images (${LIKED} likes, ${HIDDEN} hides): median ${fmt(rr.wall.median)} ms ` +
            `(candidates from IndexedDB ${fmt(rr.candidates.median)} ms, recommend() ${fmt(rr.recommend.median)} ms on the main thread); ${mainLine(rr.main)}`,
        );
      }
    }
  } finally {
    await context.close();
  }

  log(`analytics: Node ${process.version} baseline on the same records`);
  try {
    result.node = await nodeBaseline(sizes, embeddings, opts.runs);
  } catch (e) {
    problems.push(`analytics: the Node baseline failed: ${(e as Error).message.split('\n')[0]}`);
  }
  const node = (what: string, n: number) => result.node.find((r) => r.what.startsWith(what) && r.n === n)?.ms;
  const ratio = (what: string, n: number, browserMs: number, nodeMs: number | undefined) => {
    if (nodeMs) result.ratios.push({ what, n, browserMs: round(browserMs), nodeMs: round(nodeMs), ratio: round(browserMs / nodeMs) });
  };
  for (const s of result.sizes) {
    ratio('all charts, no filter (worker compute)', s.n, s.unfiltered.query.median, node('all charts, no filter', s.n));
    ratio('all charts, tag + date filter (worker compute)', s.n, s.filtered.query.median, node('all charts, tag + date', s.n));
  }
  const k8 = result.cluster.find((c) => !c.auto);
  const km = node('k-means k=8', embeddings);
  const pc = node('PCA', embeddings);
  if (k8 && km && pc) ratio('k-means k=8 + PCA (worker compute)', k8.n, k8.timings.kmeansMs + k8.timings.pcaMs, km + pc);
  if (result.recommend) ratio('recommend() (main thread)', embeddings, result.recommend.recommend.median, node('recommendations', embeddings));

  const big = result.sizes.at(-1);
  if (big) {
    result.target.checks = [
      {
        what: 'all charts, no filter',
        n: big.n,
        medianMs: big.unfiltered.wall.median,
        maxMs: big.unfiltered.wall.max,
        pass: big.unfiltered.wall.max < opts.targetMs,
      },
      {
        what: 'all charts, tag + date filter',
        n: big.n,
        medianMs: big.filtered.wall.median,
        maxMs: big.filtered.wall.max,
        pass: big.filtered.wall.max < opts.targetMs,
      },
    ];
    result.target.first = { n: big.n, ms: round(big.first.wallMs), pass: big.first.wallMs < opts.targetMs };
    result.target.pass = result.target.checks.every((c) => c.pass);
    if (!result.target.pass)
      problems.push(
        `analytics: a query at ${big.n} records took ${Math.max(...result.target.checks.map((c) => c.maxMs))} ms, over the ${opts.targetMs} ms target`,
      );
    const m = mainSummary([big.first.main, ...[big.unfiltered, big.filtered].map((s) => ({ ...s.main, wallMs: 0, timerTicks: 0 }))]);
    result.responsive = {
      boundMs: opts.responsiveMs,
      n: big.n,
      longestTaskMs: m.longestTaskMs,
      longTasks: m.longTasks,
      maxTimerGapMs: m.maxTimerGapMs,
      maxFrameGapMs: m.maxFrameGapMs,
      idleTimerGapMs: round(result.idle.maxTimerGapMs),
      pass: m.longestTaskMs < opts.responsiveMs,
    };
    if (!result.responsive.pass)
      problems.push(`analytics: a ${m.longestTaskMs} ms task blocked the main thread while the ${big.n}-record queries ran (bound ${opts.responsiveMs} ms)`);
  }
  if (errors.length) log(`analytics: page reported errors: ${errors.join(' | ')}`);
  return result;
}

/** The report lines of the analytics part. */
export function formatAnalytics(a: AnalyticsResult | null): string[] {
  if (!a) return ['analytics: skipped'];
  const rows: string[][] = [['analytics (browser, Chromium)', 'n', 'median ms', 'max ms', 'worker ms', 'Node ms', 'main: stall / task ms']];
  const main = (m: { maxTimerGapMs: number; longestTaskMs: number }) => `${fmt(m.maxTimerGapMs)} / ${fmt(m.longestTaskMs)}`;
  const nodeMs = (what: string, n: number) => {
    const x = a.node.find((r) => r.what.startsWith(what) && r.n === n);
    return x ? fmt(x.ms) : '–';
  };
  for (const s of a.sizes) {
    rows.push([
      'first query after a change (IndexedDB read + flatten + charts)',
      String(s.n),
      fmt(s.first.wallMs),
      fmt(s.first.wallMs),
      `${fmt(s.first.readMs)} + ${fmt(s.first.loadMs - s.first.readMs)} + ${fmt(s.first.queryMs)}`,
      `– + ${nodeMs('flatten', s.n)} + ${nodeMs('all charts, no filter', s.n)}`,
      main(s.first.main),
    ]);
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
  if (r)
    rows.push([
      `recommendations (20; candidates ${fmt(r.candidates.median)} + recommend() ${fmt(r.recommend.median)}, main thread)`,
      String(r.runs[0].n),
      fmt(r.wall.median),
      fmt(r.wall.max),
      '–',
      nodeMs('recommendations', r.runs[0].n),
      main(r.main),
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
      `the first query after a library change (reads all ${t.first.n} records from IndexedDB): ${fmt(t.first.ms)} ms, ${t.first.pass ? 'within' : 'OVER'} the target`,
    `analytics responsiveness while the ${a.responsive.n}-record queries run (first and repeated): longest main-thread task ${fmt(a.responsive.longestTaskMs)} ms ` +
      `(${a.responsive.longTasks} over 50 ms; bound ${a.responsive.boundMs} ms): ${a.responsive.pass ? 'PASS' : 'FAIL'}; longest setTimeout(0) gap ${fmt(a.responsive.maxTimerGapMs)} ms ` +
      `(idle page: ${fmt(a.responsive.idleTimerGapMs)} ms), longest frame gap ${fmt(a.responsive.maxFrameGapMs)} ms`,
  );
  const cpus = a.sizes.map((s) => `${s.n}: ${pct(s.cpu?.others ?? null)}`).join(', ');
  out.push(`analytics others CPU (queries per size): ${cpus}`);
  return out;
}
