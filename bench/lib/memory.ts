// Memory over a long batch through the real UI: warm snapshot after the first images, another after all of them.
// The instruments are in memory-probes.ts.
import { rm } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { debugApi } from '../../scripts/lib/debug-api.ts';
import { backendInfo, launchBrowser, openApp, type BackendInfo } from './browser.ts';
import { makeBmps } from './fixtures.ts';
import { recordSizes, rssBytes, rssSampler, snapshot, type MemorySnapshot } from './memory-probes.ts';
import { runBatch, type BatchRun } from './pipeline.ts';
import { log, round } from './stats.ts';

/** 1 MB = 10^6 bytes, 1 KB = 10^3 bytes throughout the memory step. */
export const MB = 1e6;

/**
 * The memory step's own Chromium: `--js-flags=--expose-gc` gives `gc()` in the page and its workers, and
 * ForceEagerMeasureMemory makes measureUserAgentSpecificMemory() collect and answer at once instead of at the next
 * scheduled GC. The latency steps keep the plain browser.
 */
export const MEMORY_BROWSER_ARGS = ['--js-flags=--expose-gc', '--enable-blink-features=ForceEagerMeasureMemory'];

export interface MemoryResult {
  images: number;
  warmImages: number;
  classifier: string | null;
  detector: string | null;
  query: string;
  backend: BackendInfo;
  warmBatch: BatchRun;
  mainBatch: BatchRun;
  /** ms/image of the main batch (warm: models were loaded by the first batch). */
  msPerImage: number;
  before: MemorySnapshot;
  after: MemorySnapshot;
  /** after − before, over `mainBatch.stored` images. */
  growth: {
    images: number;
    uaBytes: number | null;
    uaBytesPerImage: number | null;
    uaBreakdown: Record<string, number>;
    jsHeapUsed: number;
    jsHeapUsedPerImage: number;
    nodes: number;
    nodesPerImage: number;
    rendererRss: number | null;
    /** rssSettled − before. */
    rendererRssSettled: number | null;
  };
  /** What the library keeps per image (IndexedDB records, as JSON): the expected part of the growth. */
  /** Renderer RSS during the main batch (about 10 samples), by images finished in both batches. */
  rssDuringMainBatch: { images: number; rss: number }[];
  /** Renderer RSS 5 s after the "after" snapshot. */
  rssSettled: number | null;
  /** Renderer RSS 5 s after a simulated critical memory-pressure notification (CDP), after rssSettled. */
  rssAfterPressure: number | null;
  records: { images: number; imageJsonBytes: number; results: number; resultJsonBytes: number; jsonBytesPerImage: number } | null;
  boundMB: number;
  /** uaBytes growth ≤ bound (false also when it could not be measured). */
  withinBound: boolean;
  pageErrors: string[];
}

const waitForCount = (page: Page, n: number) =>
  page.waitForFunction((k) => document.querySelector('[data-testid=library-count]')?.textContent?.trim() === String(k), n, { timeout: 30_000 }).catch(() => {});

export interface MemoryOptions {
  images: number;
  warm: number;
  /** null: no classification. */
  classifier: string | null;
  /** null: classification only. */
  detector: string | null;
  boundMB: number;
}

/**
 * `images` distinct 64×64 BMPs through the UI in two batches (`warm`, then the rest), at 1 WASM thread so that
 * measureUserAgentSpecificMemory() can reach every worker (ORT's pthread workers would hold it for 60 s and leave
 * the other workers out). Snapshots after each batch, once the grid shows the new count.
 */
export async function benchMemory(
  baseUrl: string,
  o: MemoryOptions,
  problems: string[],
  warnings: string[],
  onBrowser: (b: Browser | null) => void,
): Promise<MemoryResult> {
  const { dir, files } = await makeBmps(o.images);
  const browser = await launchBrowser(MEMORY_BROWSER_ARGS);
  onBrowser(browser);
  try {
    const query = `/?debug&backend=wasm&threads=1&model=${encodeURIComponent(o.classifier ?? 'none')}&detector=${encodeURIComponent(o.detector ?? '')}`;
    const { context, page, errors } = await openApp(browser, baseUrl, query);
    const backend = await backendInfo(page);
    if (backend.threads !== 1) problems.push(`memory: backend() reports ${backend.threads} threads, expected 1`);
    if (!backend.crossOriginIsolated) problems.push('memory: page is not cross-origin isolated (no measureUserAgentSpecificMemory)');
    await debugApi(page).run((api) => api.clearLibrary());
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const browserCdp = await browser.newBrowserCDPSession();
    const what = describeModels(o.classifier, o.detector);

    log(`memory: ${o.images} distinct 64×64 BMPs through the UI (${what}, wasm 1 thread): first ${o.warm} to warm up…`);
    const warmBatch = await runBatch(page, files.slice(0, o.warm), 180_000, 'memory warm-up batch');
    await waitForCount(page, warmBatch.stored);
    const before = await snapshot(page, cdp, browserCdp);
    log(
      `memory: warm (${before.libraryCount} images): measureUserAgentSpecificMemory ${fmtMB(before.uaBytes)}, page JS heap ${fmtMB(before.jsHeapUsed)}, ` +
        `renderer RSS ${fmtMB(before.rendererRss)}; now the other ${o.images - o.warm}…`,
    );
    const sampler = rssSampler(page, before.rendererPid);
    const mainBatch = await runBatch(page, files.slice(o.warm), Math.max(300_000, (o.images - o.warm) * 1000), 'memory main batch');
    const samples = sampler.stop();
    await waitForCount(page, warmBatch.stored + mainBatch.stored);
    const after = await snapshot(page, cdp, browserCdp);
    // RSS again once the collector and the allocator had a few seconds to give memory back; then after a simulated
    // critical memory-pressure signal (Chromium purges its caches and allocator free lists): what stays is held.
    await new Promise((r) => setTimeout(r, 5000));
    const rssSettled = rssBytes(after.rendererPid);
    let rssAfterPressure: number | null = null;
    try {
      await cdp.send('Memory.simulatePressureNotification', { level: 'critical' });
      await new Promise((r) => setTimeout(r, 5000));
      rssAfterPressure = rssBytes(after.rendererPid);
    } catch (e) {
      log(`memory: Memory.simulatePressureNotification failed: ${(e as Error).message}`);
    }

    const records = await recordSizes(page);
    await cdp.detach().catch(() => {});
    await context.close();

    for (const [name, b] of [
      ['warm-up', warmBatch],
      ['main', mainBatch],
    ] as const) {
      if (b.state !== 'done' || b.stored !== b.files || b.failed !== 0)
        problems.push(`memory: ${name} batch: expected ${b.files} stored / 0 failed (done), got "${b.statusText}" (${b.state})`);
    }
    for (const s of [before, after]) {
      if (s.uaError) problems.push(`memory: measureUserAgentSpecificMemory() failed: ${s.uaError}`);
      if (s.gcErrors.length) problems.push(`memory: gc() failed: ${s.gcErrors.join('; ')}`);
    }
    const n = Math.max(1, mainBatch.stored);
    const uaGrowth = before.uaBytes !== null && after.uaBytes !== null ? after.uaBytes - before.uaBytes : null;
    const breakdownGrowth: Record<string, number> = {};
    for (const k of new Set([...Object.keys(before.uaBreakdown), ...Object.keys(after.uaBreakdown)])) {
      breakdownGrowth[k] = (after.uaBreakdown[k] ?? 0) - (before.uaBreakdown[k] ?? 0);
    }
    const withinBound = uaGrowth !== null && uaGrowth <= o.boundMB * MB;
    if (uaGrowth !== null && !withinBound)
      problems.push(`memory: measureUserAgentSpecificMemory grew ${fmtMB(uaGrowth)} over ${n} images, above the ${o.boundMB} MB bound`);
    const rssGrowth = before.rendererRss !== null && rssSettled !== null ? rssSettled - before.rendererRss : null;
    const rssHeld = before.rendererRss !== null && rssAfterPressure !== null ? rssAfterPressure - before.rendererRss : rssGrowth;
    if (rssHeld !== null && rssHeld > o.boundMB * MB)
      warnings.push(
        `memory: the renderer's RSS still held ${signedMB(rssHeld)} over ${n} images after gc() and a simulated memory pressure (above ${o.boundMB} MB), ` +
          `while measureUserAgentSpecificMemory grew ${signedMB(uaGrowth)}: native memory outside the JS/WASM heaps (not a failed check; see bench/README.md)`,
      );
    const result: MemoryResult = {
      images: o.images,
      warmImages: o.warm,
      classifier: o.classifier,
      detector: o.detector,
      query,
      backend,
      warmBatch,
      mainBatch,
      msPerImage: mainBatch.wallMs / n,
      before,
      after,
      growth: {
        images: mainBatch.stored,
        uaBytes: uaGrowth,
        uaBytesPerImage: uaGrowth === null ? null : Math.round(uaGrowth / n),
        uaBreakdown: breakdownGrowth,
        jsHeapUsed: after.jsHeapUsed - before.jsHeapUsed,
        jsHeapUsedPerImage: Math.round((after.jsHeapUsed - before.jsHeapUsed) / n),
        nodes: after.nodes - before.nodes,
        nodesPerImage: round((after.nodes - before.nodes) / n),
        rendererRss: before.rendererRss !== null && after.rendererRss !== null ? after.rendererRss - before.rendererRss : null,
        rendererRssSettled: rssGrowth,
      },
      records,
      rssDuringMainBatch: thin(samples, 10).map((x) => ({ images: warmBatch.files + x.finished, rss: x.rss })),
      rssSettled,
      rssAfterPressure,
      boundMB: o.boundMB,
      withinBound,
      pageErrors: errors,
    };
    log(
      `memory: ${mainBatch.stored} more stored / ${mainBatch.failed} failed in ${(mainBatch.wallMs / 1000).toFixed(1)} s (${result.msPerImage.toFixed(1)} ms/image); ` +
        `measureUserAgentSpecificMemory ${fmtMB(before.uaBytes)} → ${fmtMB(after.uaBytes)} (${signedMB(uaGrowth)}, bound ${o.boundMB} MB: ${withinBound ? 'ok' : 'EXCEEDED'})`,
    );
    if (errors.length) log(`memory: page reported errors: ${errors.slice(0, 5).join(' | ')}`);
    return result;
  } finally {
    await browser.close().catch(() => {});
    onBrowser(null);
    await rm(dir, { recursive: true, force: true });
  }
}

/** About `n` evenly spread samples, always with the last. */
function thin<T>(xs: T[], n: number): T[] {
  if (xs.length <= n) return xs;
  const step = xs.length / n;
  return Array.from({ length: n }, (_, i) => xs[Math.min(xs.length - 1, Math.round((i + 1) * step) - 1)]);
}

export const describeModels = (classifier: string | null, detector: string | null): string =>
  [classifier ?? 'no classifier', detector ?? 'no detector'].join(' + ');

export const fmtMB = (b: number | null): string => (b === null || !Number.isFinite(b) ? '?' : `${(b / MB).toFixed(1)} MB`);
export const signedMB = (b: number | null): string => (b === null ? '?' : `${b >= 0 ? '+' : '−'}${(Math.abs(b) / MB).toFixed(1)} MB`);
