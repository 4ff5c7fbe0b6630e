// The analytics bench's comparisons and checks, after the browser run (bench/lib/analytics.ts): the Node baseline
// (bench/analytics.ts in a child process) and browser / Node ratios, the query target and the main thread's bound.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { BATCH, FILTERED, type AggregateRun, type AnalyticsOptions, type AnalyticsResult, type NodeRow } from './analytics.ts';
import { mainSummary } from './analytics-report.ts';
import { ROOT } from './server.ts';
import { round } from './stats.ts';

/** bench/analytics.ts in a child process (its own heap), on the same records and filter. */
export async function nodeBaseline(sizes: number[], embeddings: number, runs: number): Promise<NodeRow[]> {
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

/** Browser ÷ Node for the same computations (result.node must be filled). */
export function compareWithNode(result: AnalyticsResult, embeddings: number): void {
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
}

/** The target (repeated queries and the first after a batch, at the biggest size) and the main thread's bound. */
export function checkTargets(result: AnalyticsResult, opts: AnalyticsOptions, problems: string[]): void {
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
}
