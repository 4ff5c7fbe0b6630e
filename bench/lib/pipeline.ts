// End-to-end runs through the real UI: file input → decode worker → classify (→ detect) → IndexedDB.
// benchPipeline: classify only, default settings (the original pipeline step). benchThroughput: classify + detect + store.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { debugApi } from '../../scripts/lib/debug-api.ts';
import { backendInfo, openApp, type BackendInfo } from './browser.ts';
import { cpuMeter, type CpuReading } from './cpu.ts';
import { COCO_DIRS, IMAGENET_DIR, distinctJpegCopies, listJpegs } from './fixtures.ts';
import { log, pct, withTimeout } from './stats.ts';

export { IMAGENET_DIR };

/**
 * `copies` × the ImageNet JPEGs, each made distinct (the app skips content it already stored) by appending a few
 * bytes after the JPEG end marker, which decoders ignore.
 */
export async function makeFixtures(copies: number): Promise<{ dir: string; files: string[] }> {
  const names = (await readdir(IMAGENET_DIR)).filter((n) => /\.jpe?g$/i.test(n)).sort();
  if (!names.length) throw new Error(`no JPEGs in ${IMAGENET_DIR}`);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'sightline-bench-'));
  const nonce = `${process.pid}-${Date.now()}`;
  const files: string[] = [];
  for (const name of names) {
    const bytes = await readFile(path.join(IMAGENET_DIR, name));
    if (bytes[0] !== 0xff || bytes[1] !== 0xd8) throw new Error(`${name} is not a JPEG`);
    for (let c = 0; c < copies; c++) {
      const file = path.join(dir, `c${c}-${name}`);
      await writeFile(file, Buffer.concat([bytes, Buffer.from(`\nsightline-bench ${nonce} copy ${c}\n`)]));
      files.push(file);
    }
  }
  return { dir, files };
}

/** Timestamps kept in the page (performance.now()) for the batch in flight; reset before each batch. */
interface Marks {
  /** The file input's change event. */
  start: number | null;
  /** data-state flipped to done/cancelled/failed after the batch was seen running. */
  end: number | null;
  state: string | null;
  sawRunning: boolean;
  /** First time the status showed at least one finished file, and how many it showed then. */
  firstAt: number | null;
  firstCount: number;
}

declare global {
  // The page's marks (installMarks), read back from Node.
  var __benchMarks: Marks;
  var __benchMarksInstalled: boolean | undefined;
}

/** Installs (once per page) the listeners that fill `__benchMarks`. */
async function installMarks(page: Page): Promise<void> {
  await page.evaluate(() => {
    const g = globalThis;
    g.__benchMarks = { start: null, end: null, state: null, sawRunning: false, firstAt: null, firstCount: 0 };
    if (g.__benchMarksInstalled) return;
    g.__benchMarksInstalled = true;
    document.addEventListener('change', () => void (g.__benchMarks.start ??= performance.now()), true);
    new MutationObserver(() => {
      const m = g.__benchMarks;
      if (m.start === null || m.end !== null) return;
      const el = document.querySelector('[data-testid=batch-status]');
      const s = el?.getAttribute('data-state');
      if (s === 'running') m.sawRunning = true;
      if (m.firstAt === null && m.sawRunning) {
        const c = /(\d+) stored · (\d+) failed · (\d+) already/.exec(el?.textContent ?? '');
        const n = c ? Number(c[1]) + Number(c[2]) + Number(c[3]) : 0;
        if (n > 0) {
          m.firstAt = performance.now();
          m.firstCount = n;
        }
      }
      if ((s === 'done' || s === 'cancelled' || s === 'failed') && m.sawRunning) {
        m.end = performance.now();
        m.state = s;
      }
    }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ['data-state'] });
  });
}

export interface BatchRun {
  files: number;
  /** From the file input's change event to data-state="done", timed in the page. */
  wallMs: number;
  /** The same, timed from Node around setInputFiles (a cross-check). */
  nodeWallMs: number;
  /** From the first finished file to the end, per remaining file: excludes model load and cold start. Null below 2 files. */
  steadyMsPerImage: number | null;
  state: string | null;
  stored: number;
  failed: number;
  skipped: number;
  statusText: string;
  errorRows: string[];
  cpu: CpuReading | null;
}

/** One batch through `[data-testid=file-input]`, waiting for the status to say it ended. */
export async function runBatch(page: Page, files: string[], timeoutMs: number, what: string): Promise<BatchRun> {
  await installMarks(page);
  const cpu = cpuMeter();
  const t0 = performance.now();
  await page.locator('[data-testid=file-input]').setInputFiles(files);
  const handle = await withTimeout(
    page.waitForFunction(() => globalThis.__benchMarks.end !== null, undefined, { timeout: 0, polling: 250 }),
    timeoutMs,
    what,
  );
  await handle.dispose();
  const nodeWallMs = performance.now() - t0;
  const cpuUse = cpu.stop();
  const marks = await page.evaluate(() => globalThis.__benchMarks);
  const statusText = ((await page.locator('[data-testid=batch-status]').textContent()) ?? '').replace(/\s+/g, ' ').trim();
  const m = /(\d+) stored · (\d+) failed · (\d+) already in library/.exec(statusText);
  if (!m) throw new Error(`${what}: cannot read the batch status text: ${JSON.stringify(statusText)}`);
  const [stored, failed, skipped] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const finished = stored + failed + skipped;
  const steadyMsPerImage = marks.firstAt !== null && finished > marks.firstCount ? (marks.end! - marks.firstAt) / (finished - marks.firstCount) : null;
  const errorRows = (await page.locator('[data-testid=error-row]').allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim());
  return {
    files: files.length,
    wallMs: marks.end! - marks.start!,
    nodeWallMs,
    steadyMsPerImage,
    state: marks.state,
    stored,
    failed,
    skipped,
    statusText,
    errorRows,
    cpu: cpuUse,
  };
}

export interface PipelineResult {
  files: number;
  model: string;
  backend: BackendInfo;
  /** From the file input's change event to data-state="done", timed in the page. Includes model load and cold start. */
  wallMs: number;
  /** The same, timed from Node around setInputFiles (a cross-check). */
  nodeWallMs: number;
  /** CPU use during the batch: machine, and other processes. */
  cpu: CpuReading | null;
  imagesPerSecond: number;
  msPerImage: number;
  /** ms per image after the first finished file (no model load / cold start). */
  steadyMsPerImage: number | null;
  stored: number;
  failed: number;
  skipped: number;
  statusText: string;
  libraryCount: number | null;
  errorRows: string[];
  pageErrors: string[];
}

export async function benchPipeline(browser: Browser, baseUrl: string, copies: number, problems: string[]): Promise<PipelineResult> {
  const { dir, files } = await makeFixtures(copies);
  const { context, page, errors } = await openApp(browser, baseUrl, '/?debug');
  try {
    await debugApi(page).run((api) => api.clearLibrary());
    const model = await page.locator('[data-testid=model-select]').inputValue();
    log(`pipeline: ${files.length} files through the UI (model ${model}, default backend settings)…`);
    const run = await runBatch(page, files, 300_000, 'pipeline batch');
    if (run.state !== 'done') problems.push(`pipeline: batch ended in state ${run.state}`);
    const { stored, failed, skipped, statusText, wallMs } = run;
    if (stored !== files.length || failed !== 0) problems.push(`pipeline: expected ${files.length} stored / 0 failed, got "${statusText}"`);

    // The grid refreshes just after the status flips: give it a moment, then record what it shows.
    const countLoc = page.locator('[data-testid=library-count]');
    await page
      .waitForFunction((n) => document.querySelector('[data-testid=library-count]')?.textContent?.trim() === String(n), files.length, { timeout: 10_000 })
      .catch(() => {});
    const libraryCount = (await countLoc.count()) ? Number(await countLoc.textContent()) : null;
    const backend = await backendInfo(page);
    if (!backend.crossOriginIsolated) problems.push('pipeline: page is not cross-origin isolated');

    const result: PipelineResult = {
      files: files.length,
      model,
      backend,
      wallMs,
      nodeWallMs: run.nodeWallMs,
      cpu: run.cpu,
      imagesPerSecond: (stored * 1000) / wallMs,
      msPerImage: wallMs / Math.max(1, stored),
      steadyMsPerImage: run.steadyMsPerImage,
      stored,
      failed,
      skipped,
      statusText,
      libraryCount,
      errorRows: run.errorRows,
      pageErrors: errors,
    };
    log(
      `pipeline: ${stored} stored / ${failed} failed / ${skipped} skipped in ${(wallMs / 1000).toFixed(2)} s ` +
        `(${result.imagesPerSecond.toFixed(2)} images/s, ${result.msPerImage.toFixed(1)} ms/image) [${backend.backend}, ${backend.threads} threads, other processes ${pct(run.cpu?.others ?? null)} CPU]`,
    );
    if (run.errorRows.length) log(`pipeline: error rows: ${run.errorRows.slice(0, 5).join(' | ')}`);
    return result;
  } finally {
    await context.close();
    await rm(dir, { recursive: true, force: true });
  }
}

export interface ThroughputResult {
  files: number;
  /** Source photos cycled through (ImageNet + COCO), each copy made distinct. */
  sources: number;
  classifier: string;
  detector: string;
  backend: BackendInfo;
  wallMs: number;
  nodeWallMs: number;
  cpu: CpuReading | null;
  imagesPerMinute: number;
  msPerImage: number;
  steadyMsPerImage: number | null;
  steadyImagesPerMinute: number | null;
  stored: number;
  failed: number;
  skipped: number;
  statusText: string;
  libraryCount: number | null;
  errorRows: string[];
  pageErrors: string[];
}

/**
 * classify + detect + store through the UI at `/?debug&detector=<id>` (default classifier, default backend), over
 * `count` distinct copies of the ImageNet and COCO JPEGs. Timed in the page from the change event to "done".
 */
export async function benchThroughput(browser: Browser, baseUrl: string, detector: string, count: number, problems: string[]): Promise<ThroughputResult> {
  const sources = await listJpegs([IMAGENET_DIR, ...COCO_DIRS]);
  const { dir, files } = await distinctJpegCopies(sources, count, 'throughput');
  const { context, page, errors } = await openApp(browser, baseUrl, `/?debug&detector=${encodeURIComponent(detector)}`);
  try {
    await debugApi(page).run((api) => api.clearLibrary());
    const classifier = await page.locator('[data-testid=model-select]').inputValue();
    log(`throughput: ${files.length} files (${sources.length} ImageNet + COCO photos, distinct copies) through the UI: ${classifier} + ${detector} + store…`);
    const run = await runBatch(page, files, 540_000, 'throughput batch');
    if (run.state !== 'done') problems.push(`throughput: batch ended in state ${run.state}`);
    if (run.stored !== files.length || run.failed !== 0) problems.push(`throughput: expected ${files.length} stored / 0 failed, got "${run.statusText}"`);
    await page
      .waitForFunction((n) => document.querySelector('[data-testid=library-count]')?.textContent?.trim() === String(n), files.length, { timeout: 10_000 })
      .catch(() => {});
    const countLoc = page.locator('[data-testid=library-count]');
    const libraryCount = (await countLoc.count()) ? Number(await countLoc.textContent()) : null;
    const backend = await backendInfo(page);
    if (!backend.crossOriginIsolated) problems.push('throughput: page is not cross-origin isolated');
    const msPerImage = run.wallMs / Math.max(1, run.stored);
    const result: ThroughputResult = {
      files: files.length,
      sources: sources.length,
      classifier,
      detector,
      backend,
      wallMs: run.wallMs,
      nodeWallMs: run.nodeWallMs,
      cpu: run.cpu,
      imagesPerMinute: (run.stored * 60_000) / run.wallMs,
      msPerImage,
      steadyMsPerImage: run.steadyMsPerImage,
      steadyImagesPerMinute: run.steadyMsPerImage ? 60_000 / run.steadyMsPerImage : null,
      stored: run.stored,
      failed: run.failed,
      skipped: run.skipped,
      statusText: run.statusText,
      libraryCount,
      errorRows: run.errorRows,
      pageErrors: errors,
    };
    log(
      `throughput: ${run.stored} stored / ${run.failed} failed / ${run.skipped} skipped in ${(run.wallMs / 1000).toFixed(2)} s ` +
        `(${result.imagesPerMinute.toFixed(1)} images/min, ${msPerImage.toFixed(1)} ms/image; after the first image ${run.steadyMsPerImage?.toFixed(1) ?? '?'} ms/image) ` +
        `[${backend.backend}, ${backend.threads} threads, other processes ${pct(run.cpu?.others ?? null)} CPU]`,
    );
    if (run.errorRows.length) log(`throughput: error rows: ${run.errorRows.slice(0, 5).join(' | ')}`);
    if (errors.length) log(`throughput: page reported errors: ${errors.slice(0, 5).join(' | ')}`);
    return result;
  } finally {
    await context.close();
    await rm(dir, { recursive: true, force: true });
  }
}
