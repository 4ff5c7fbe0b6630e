// End-to-end throughput through the real UI: file input → decode worker → classify → IndexedDB, default settings.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { backendInfo, openApp, type BackendInfo, type SightlineHooks } from './browser.ts';
import { cpuMeter, type CpuReading } from './cpu.ts';
import { log, pct, withTimeout } from './stats.ts';

export const IMAGENET_DIR = '/work/shared/data/imagenet';

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
  stored: number;
  failed: number;
  skipped: number;
  statusText: string;
  libraryCount: number | null;
  errorRows: string[];
  pageErrors: string[];
}

interface Marks {
  start: number | null;
  end: number | null;
  state: string | null;
}

export async function benchPipeline(browser: Browser, baseUrl: string, copies: number, problems: string[]): Promise<PipelineResult> {
  const { dir, files } = await makeFixtures(copies);
  const { context, page, errors } = await openApp(browser, baseUrl, '/?debug');
  try {
    await page.evaluate(() => (globalThis as unknown as { __sightline: SightlineHooks }).__sightline.clearLibrary());
    const model = await page.locator('[data-testid=model-select]').inputValue();
    // Timestamps in the page: the change event that starts the batch, and the status flipping to done/cancelled.
    await page.evaluate(() => {
      const marks: Marks = { start: null, end: null, state: null };
      (globalThis as unknown as { __benchMarks: Marks }).__benchMarks = marks;
      document.addEventListener('change', () => void (marks.start ??= performance.now()), true);
      new MutationObserver(() => {
        const s = document.querySelector('[data-testid=batch-status]')?.getAttribute('data-state');
        if ((s === 'done' || s === 'cancelled') && marks.end === null) {
          marks.end = performance.now();
          marks.state = s;
        }
      }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-state'] });
    });
    log(`pipeline: ${files.length} files through the UI (model ${model}, default backend settings)…`);
    const cpu = cpuMeter();
    const t0 = performance.now();
    await page.locator('[data-testid=file-input]').setInputFiles(files);
    const handle = await withTimeout(
      page.waitForFunction(() => (globalThis as unknown as { __benchMarks: Marks }).__benchMarks.end !== null, undefined, { timeout: 0, polling: 250 }),
      300_000,
      'pipeline batch',
    );
    await handle.dispose();
    const nodeWallMs = performance.now() - t0;
    const cpuUse = cpu.stop();
    const marks = await page.evaluate(() => (globalThis as unknown as { __benchMarks: Marks }).__benchMarks);
    if (marks.state !== 'done') problems.push(`pipeline: batch ended in state ${marks.state}`);
    const wallMs = marks.end! - marks.start!;

    const statusText = ((await page.locator('[data-testid=batch-status]').textContent()) ?? '').replace(/\s+/g, ' ').trim();
    const m = /(\d+) stored · (\d+) failed · (\d+) already in library/.exec(statusText);
    if (!m) throw new Error(`pipeline: cannot read the batch status text: ${JSON.stringify(statusText)}`);
    const [stored, failed, skipped] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (stored !== files.length || failed !== 0) problems.push(`pipeline: expected ${files.length} stored / 0 failed, got "${statusText}"`);
    const errorRows = (await page.locator('[data-testid=error-row]').allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim());

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
      nodeWallMs,
      cpu: cpuUse,
      imagesPerSecond: (stored * 1000) / wallMs,
      msPerImage: wallMs / Math.max(1, stored),
      stored,
      failed,
      skipped,
      statusText,
      libraryCount,
      errorRows,
      pageErrors: errors,
    };
    log(
      `pipeline: ${stored} stored / ${failed} failed / ${skipped} skipped in ${(wallMs / 1000).toFixed(2)} s ` +
        `(${result.imagesPerSecond.toFixed(2)} images/s, ${result.msPerImage.toFixed(1)} ms/image) [${backend.backend}, ${backend.threads} threads, other processes ${pct(cpuUse?.others ?? null)} CPU]`,
    );
    if (errorRows.length) log(`pipeline: error rows: ${errorRows.slice(0, 5).join(' | ')}`);
    return result;
  } finally {
    await context.close();
    await rm(dir, { recursive: true, force: true });
  }
}
