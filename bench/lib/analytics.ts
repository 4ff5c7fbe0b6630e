// The analytics part of `npm run bench`. Browser: a synthetic library (bench/synthetic.ts) seeded into IndexedDB by
// the page's analytics bench (bench/page/analytics.ts, through the ?debug API), then the analytics worker's aggregate
// at each size (the first query after the library changed, then repeated queries, unfiltered and filtered), clustering
// of the embeddings (k-means + PCA, and k chosen by silhouette) and recommendations, with the main thread watched
// while they run. Node: bench/analytics.ts (`npm run bench:analytics`) in a child process, the same code on the same
// records. The report lines are in analytics-report.ts.
import type { Browser, Page } from 'playwright-core';
import { debugApi } from '../../scripts/lib/debug-api.ts';
import type { AggregateRun, ClusterRun, RecommendRun, Responsiveness, Seeded, SimilarRun } from '../page/analytics.ts';
import type { Filters } from '../../src/shared/aggregate.ts';
import { openApp } from './browser.ts';
import { cpuMeter, type CpuReading } from './cpu.ts';
import { checkTargets, compareWithNode, nodeBaseline } from './analytics-checks.ts';
import { firstLine, fmt, mainLine, mainSummary } from './analytics-report.ts';
import { log, round, roundSummary, summarize, withTimeout, type Summary } from './stats.ts';

export type { AggregateRun, ClusterRun, RecommendRun, Responsiveness, SimilarRun };

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

/** Images added by the incremental step (as one batch would). */
export const BATCH = 1000;

export interface NodeRow {
  what: string;
  n: number;
  ms: number;
  note: string;
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

/** The page's analytics bench (bench/page/analytics.ts), each call with a time limit. */
function pageAnalytics(page: Page) {
  const api = debugApi(page);
  return {
    idle: (ms: number) =>
      withTimeout(
        api.run(async (a, ms) => (await a.bench()).analytics.idle(ms), ms),
        30_000,
        'idle()',
      ),
    seed: (from: number, to: number, embeddingsBelow: number) =>
      withTimeout(
        api.run(async (a, [f, t, e]) => (await a.bench()).analytics.seed(f, t, e), [from, to, embeddingsBelow] as const),
        600_000,
        `seed(${from}, ${to})`,
      ),
    aggregate: (filters: Filters, runs: number, what: string) =>
      withTimeout(
        api.run(async (a, [f, r]) => (await a.bench()).analytics.aggregate(f, r), [filters, runs] as const),
        300_000,
        what,
      ),
    cluster: (k: number | null) =>
      withTimeout(
        api.run(async (a, k) => (await a.bench()).analytics.cluster(k), k),
        600_000,
        `cluster(k=${k ?? 'auto'})`,
      ),
    recommendations: (liked: number, hidden: number, runs: number) =>
      withTimeout(
        api.run(async (a, [l, h, r]) => (await a.bench()).analytics.recommendations(l, h, r), [liked, hidden, runs] as const),
        600_000,
        'recommendations',
      ),
    similar: (runs: number) =>
      withTimeout(
        api.run(async (a, r) => (await a.bench()).analytics.similar(r), runs),
        600_000,
        'similar',
      ),
    remove: (i: number) =>
      withTimeout(
        api.run(async (a, i) => (await a.bench()).analytics.remove(i), i),
        60_000,
        'remove()',
      ),
    stopWorker: () =>
      withTimeout(
        api.run((a) => a.stopAnalyticsWorker()),
        60_000,
        'stopWorker()',
      ),
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
  const bench = pageAnalytics(page);
  // The noise floor of the main-thread figures, before anything runs.
  const idle = await bench.idle(2000).catch(async (e: unknown) => {
    await context.close();
    throw e;
  });
  const result: AnalyticsResult = {
    options: { ...opts, sizes },
    idle,
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
    log(`analytics: idle main thread over 2 s: ${mainLine(mainSummary([result.idle]))}`);
    let have = 0;
    for (const n of sizes) {
      const t0 = performance.now();
      const seeded = await bench.seed(have, n, embeddings);
      const seed = { ...seeded, wallMs: round(performance.now() - t0) };
      log(
        `analytics: seeded records ${have}…${n - 1} into IndexedDB (${seeded.images} images, ${seeded.results} results, ${seeded.embeddings} embeddings) ` +
          `in ${(seed.wallMs / 1000).toFixed(1)} s (generate ${(seeded.generateMs / 1000).toFixed(1)} s, bulkPut ${(seeded.putMs / 1000).toFixed(1)} s)`,
      );
      have = n;
      await settle(`analytics ${n}`);
      const cpu = cpuMeter();
      const [first] = await bench.aggregate({}, 1, `first aggregate at ${n}`);
      log(`analytics ${n}: first query after seeding ${firstLine(first)}`);
      const unfiltered = series({}, await bench.aggregate({}, opts.runs, `aggregate at ${n}`));
      const filtered = series(FILTERED, await bench.aggregate(FILTERED, opts.runs, `filtered aggregate at ${n}`));
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
          const r = await bench.cluster(k);
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
        await bench.stopWorker();
        const runs = await bench.recommendations(LIKED, HIDDEN, 4);
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
        const sims = await bench.similar(5);
        result.similar = { runs: sims, wall: roundSummary(summarize(sims.map((r) => r.wallMs))), main: mainSummary(sims.map((r) => r.main)) };
        log(
          `analytics similar images (6) in the worker: median ${fmt(result.similar.wall.median)} ms, max ${fmt(result.similar.wall.max)} ms; ${mainLine(result.similar.main)}`,
        );
      }

      // The first query after the changes a library sees between two visits of the Analytics view.
      await settle(`analytics ${n} incremental`);
      await bench.stopWorker();
      const [cold] = await bench.aggregate({}, 1, `cold aggregate at ${n}`);
      log(`analytics ${n}: first query of a fresh worker ${firstLine(cold)}`);
      const t1 = performance.now();
      await bench.seed(n, n + BATCH, embeddings);
      const seedMs = round(performance.now() - t1);
      const [batch] = await bench.aggregate({}, 1, `aggregate after a batch at ${n}`);
      log(`analytics ${n}: first query after adding ${BATCH} images ${firstLine(batch)}`);
      await bench.remove(n + BATCH - 1);
      const [deleted] = await bench.aggregate({}, 1, `aggregate after a delete at ${n}`);
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
  compareWithNode(result, embeddings);
  checkTargets(result, opts, problems);
  if (errors.length) log(`analytics: page reported errors: ${errors.join(' | ')}`);
  return result;
}
