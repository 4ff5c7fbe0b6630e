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
/** How the worker brought its copy of the library up to date (src/db/analytics-cache.ts). */
type LoadPath = 'cached' | 'delta' | 'snapshot' | 'full';
interface AggregateRun {
  wallMs: number;
  loadMs: number;
  readMs: number;
  queryMs: number;
  how: LoadPath;
  changed: number;
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
  wallMs: number;
  loadMs: number;
  readMs: number;
  how: LoadPath;
  prepareMs: number;
  computeMs: number;
  n: number;
  returned: number;
  main: Responsiveness;
}
interface SimilarRun {
  wallMs: number;
  loadMs: number;
  prepareMs: number;
  computeMs: number;
  returned: number;
  main: Responsiveness;
}
interface Hooks {
  seed(from: number, to: number, embeddingsBelow: number): Promise<Seeded>;
  idle(ms: number): Promise<Responsiveness>;
  aggregate(filters: Filters, runs: number): Promise<AggregateRun[]>;
  cluster(k: number | null): Promise<ClusterRun>;
  recommendations(liked: number, hidden: number, runs: number): Promise<RecommendRun[]>;
  similar(runs: number): Promise<SimilarRun[]>;
  stopWorker(): Promise<void>;
  remove(i: number): Promise<void>;
}

/** Images added by the incremental step (as one batch would). */
const BATCH = 1000;

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
  /** The first query after seeding (most of the library new: the worker reads and flattens every record). */
  first: AggregateRun;
  /** A fresh worker (the old one stopped, as after 60 s idle): the persisted snapshot, then what changed since. */
  cold: AggregateRun;
  /** The first query after a batch of BATCH images was added (only those read). */
  batch: AggregateRun & { seedMs: number };
  /** The first query after one image was deleted (found by its primary key missing). */
  deleted: AggregateRun;
  unfiltered: QuerySeries;
  filtered: QuerySeries;
  cpu: CpuReading | null;
}

export interface AnalyticsResult {
  options: AnalyticsOptions;
  idle: Responsiveness;
  sizes: SizeResult[];
  cluster: (ClusterRun & { cpu: CpuReading | null })[];
  /** The first run after a library change loads the embeddings in the worker; the others (one more like each) reuse them. */
  recommend: { runs: RecommendRun[]; first: RecommendRun; again: Summary; main: MainSummary; cpu: CpuReading | null } | null;
  similar: { runs: SimilarRun[]; wall: Summary; main: MainSummary } | null;
  node: NodeRow[];
  /** Browser ÷ Node for the same computation. */
  ratios: { what: string; n: number; browserMs: number; nodeMs: number; ratio: number }[];
  target: {
    ms: number;
    /** Repeated queries at the biggest size (what a filter change costs): wall-time median and max. */
    checks: { what: string; n: number; medianMs: number; maxMs: number; pass: boolean }[];
    /** The first query after a library change at the biggest size: after seeding (everything read; informational), with a fresh worker (informational), after a batch (checked). */
    first: { n: number; ms: number; pass: boolean };
    cold: { n: number; ms: number; pass: boolean };
    batch: { n: number; ms: number; pass: boolean };
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

const median = (xs: number[]) => (xs.length ? [...xs].sort((p, q) => p - q)[Math.floor(xs.length / 2)] : 0);

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
/** "1234 ms (worker, delta of 1060 images: load 200 ms of which IndexedDB 150 ms, charts 60 ms; N images); main thread: …" */
const firstLine = (r: AggregateRun) =>
  `${fmt(r.wallMs)} ms (worker, ${r.how}${r.how === 'cached' ? '' : ` of ${r.changed} images`}: load ${fmt(r.loadMs)} ms of which IndexedDB ${fmt(r.readMs)} ms, ` +
  `charts ${fmt(r.queryMs)} ms; ${r.total} images); ${mainLine(mainSummary([r.main]))}`;
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
    similar: null,
    node: [],
    ratios: [],
    target: {
      ms: opts.targetMs,
      checks: [],
      first: { n: 0, ms: 0, pass: false },
      cold: { n: 0, ms: 0, pass: false },
      batch: { n: 0, ms: 0, pass: false },
      pass: false,
    },
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
      log(`analytics ${n}: first query after seeding ${firstLine(first)}`);
      const unfiltered = series({}, await hook(page, 'aggregate', [{}, opts.runs], 300_000, `aggregate at ${n}`));
      const filtered = series(FILTERED, await hook(page, 'aggregate', [FILTERED, opts.runs], 300_000, `filtered aggregate at ${n}`));
      for (const [label, s] of [
        ['all charts', unfiltered],
        ['all charts, tag + date filter', filtered],
      ] as const)
        log(
          `analytics ${n}: ${label}: median ${fmt(s.wall.median)} ms, max ${fmt(s.wall.max)} ms per query (worker charts ${fmt(s.query.median)} ms; ${s.total} images); ${mainLine(s.main)}`,
        );
      const cpuQueries = cpu.stop();

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
        // A fresh worker first, as when the For you view opens after the worker went idle: it reads the embeddings itself.
        await hook(page, 'stopWorker', [], 60_000, 'stopWorker()');
        const runs = await hook(page, 'recommendations', [LIKED, HIDDEN, 4], 600_000, 'recommendations');
        result.recommend = {
          runs,
          first: runs[0],
          again: roundSummary(summarize(runs.slice(1).map((r) => r.wallMs))),
          main: mainSummary(runs.map((r) => r.main)),
          cpu: c.stop(),
        };
        const rr = result.recommend;
        log(
          `analytics recommendations over ${runs[0].n} images (${LIKED} likes, ${HIDDEN} hides) in the worker: first ${fmt(rr.first.wallMs)} ms ` +
            `(${rr.first.how}: load ${fmt(rr.first.loadMs)} ms of which IndexedDB ${fmt(rr.first.readMs)} ms, centring ${fmt(rr.first.prepareMs)} ms, scoring ${fmt(rr.first.computeMs)} ms), ` +
            `after each further like median ${fmt(rr.again.median)} ms, max ${fmt(rr.again.max)} ms; ${mainLine(rr.main)}`,
        );
        const sims = await hook(page, 'similar', [5], 600_000, 'similar');
        result.similar = { runs: sims, wall: roundSummary(summarize(sims.map((r) => r.wallMs))), main: mainSummary(sims.map((r) => r.main)) };
        log(
          `analytics similar images (6) in the worker: median ${fmt(result.similar.wall.median)} ms, max ${fmt(result.similar.wall.max)} ms; ${mainLine(result.similar.main)}`,
        );
      }

      // The first query after the changes a library sees between two visits of the Analytics view.
      await settle(`analytics ${n} incremental`);
      await hook(page, 'stopWorker', [], 60_000, 'stopWorker()');
      const [cold] = await hook(page, 'aggregate', [{}, 1], 300_000, `cold aggregate at ${n}`);
      log(`analytics ${n}: first query of a fresh worker ${firstLine(cold)}`);
      const t1 = performance.now();
      await hook(page, 'seed', [n, n + BATCH, embeddings], 600_000, `seed(${n}, ${n + BATCH})`);
      const seedMs = round(performance.now() - t1);
      const [batch] = await hook(page, 'aggregate', [{}, 1], 300_000, `aggregate after a batch at ${n}`);
      log(`analytics ${n}: first query after adding ${BATCH} images ${firstLine(batch)}`);
      await hook(page, 'remove', [n + BATCH - 1], 60_000, 'remove()');
      const [deleted] = await hook(page, 'aggregate', [{}, 1], 300_000, `aggregate after a delete at ${n}`);
      log(`analytics ${n}: first query after deleting an image ${firstLine(deleted)}`);
      // The next size's seeding puts the deleted record back.
      have = n + BATCH - 1;
      result.sizes.push({ n, seed, first, unfiltered, filtered, cold, batch: { ...batch, seedMs }, deleted, cpu: cpuQueries });
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
  if (result.recommend)
    ratio(
      'recommend() incl. centring (worker compute)',
      embeddings,
      result.recommend.first.prepareMs + result.recommend.first.computeMs,
      node('recommendations', embeddings),
    );
  for (const s of result.sizes) ratio('snapshot decode + delta (worker, fresh)', s.n, s.cold.loadMs, node('snapshot decode', s.n));

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
    result.target.checks.push({
      what: `first query after adding ${BATCH} images`,
      n: big.n,
      medianMs: round(big.batch.wallMs),
      maxMs: round(big.batch.wallMs),
      pass: big.batch.wallMs < opts.targetMs,
    });
    const mark = (x: AggregateRun) => ({ n: big.n, ms: round(x.wallMs), pass: x.wallMs < opts.targetMs });
    result.target.first = mark(big.first);
    result.target.cold = mark(big.cold);
    result.target.batch = mark(big.batch);
    result.target.pass = result.target.checks.every((c) => c.pass);
    if (!result.target.pass)
      problems.push(
        `analytics: a query at ${big.n} records took ${Math.max(...result.target.checks.map((c) => c.maxMs))} ms, over the ${opts.targetMs} ms target`,
      );
    const m = mainSummary([
      ...[big.first, big.cold, big.batch, big.deleted].map((x) => x.main),
      ...[big.unfiltered, big.filtered].map((s) => ({ ...s.main, wallMs: 0, timerTicks: 0 })),
    ]);
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
