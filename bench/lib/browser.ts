// Browser side: Debian Chromium via playwright-core, raw session.run timings inside the app's real inference worker.
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { debugApi } from '../../scripts/lib/debug-api.ts';
import type { BackendInfo } from '../../src/debug/api.ts';
import { cpuMeter, type CpuReading } from './cpu.ts';
import { findModel } from './native.ts';
import { describe, log, pct, summarize, withTimeout, type Summary } from './stats.ts';

export type { BackendInfo };

export type BenchBackend = 'wasm' | 'webgpu';

/**
 * Chromium flags for `--backend webgpu`: the GPU stays on and WebGPU is exposed headless (Vulkan on Linux). Without a
 * GPU, Chromium falls back to SwiftShader (CPU-emulated: the run works, its timings mean nothing; the table names the
 * adapter). BENCH_CHROMIUM_ARGS adds flags a particular machine needs (space-separated).
 */
export const WEBGPU_ARGS = ['--enable-unsafe-webgpu', '--ignore-gpu-blocklist', '--enable-features=Vulkan', '--use-angle=vulkan'];

/** `extraArgs`: more Chromium flags (the memory step adds its own; the latency steps use none). */
export async function launchBrowser(extraArgs: string[] = [], backend: BenchBackend = 'wasm'): Promise<Browser> {
  const gpu = backend === 'webgpu' ? WEBGPU_ARGS : ['--disable-gpu'];
  const more = (process.env.BENCH_CHROMIUM_ARGS ?? '').split(/\s+/).filter(Boolean);
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', ...gpu, '--disable-background-networking', '--disable-component-update', ...more, ...extraArgs],
    // bench/run.ts handles Ctrl-C itself (closing the browser, then stopping the server): Playwright's own handler
    // would exit the process first and orphan the server.
    handleSIGINT: false,
    handleSIGTERM: false,
  });
}

/** A fresh context (own storage, own workers) with the app open at `query` (which has ?debug); page errors are collected. */
export async function openApp(browser: Browser, baseUrl: string, query: string): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.setDefaultTimeout(60_000);
  await page.goto(new URL(query, baseUrl).href);
  await debugApi(page).ready();
  return { context, page, errors };
}

export const backendInfo = (page: Page): Promise<BackendInfo> =>
  withTimeout(
    debugApi(page).run((api) => api.backend()),
    60_000,
    'backend()',
  );

export interface BrowserResult {
  model: string;
  task: 'classification' | 'detection';
  runtime: 'browser-wasm' | 'browser-webgpu';
  threads: number;
  /** Images per session.run (times are per run; per image = time ÷ batch). */
  batch: number;
  backend: BackendInfo;
  /** Wall time of the benchmark() call: model fetch + sha256 + session creation + warm-up + runs. */
  callMs: number;
  /** CPU use during the benchmark() call (model load, warm-up, runs): machine, and other processes. */
  cpu: CpuReading | null;
  times: number[];
  summary: Summary;
  pageErrors: string[];
}

/** One configuration in its own context: ORT fixes the thread count at the worker's first session. */
export async function benchBrowser(
  browser: Browser,
  baseUrl: string,
  modelId: string,
  threads: number,
  runs: number,
  warmupMs: number,
  problems: string[],
  { batch = 1, want = 'wasm' }: { batch?: number; want?: BenchBackend } = {},
): Promise<BrowserResult> {
  const { context, page, errors } = await openApp(browser, baseUrl, `/?debug&backend=${want}&threads=${threads}`);
  try {
    const backend = await backendInfo(page);
    const tag = `browser ${want} ${modelId} ${threads}t${batch > 1 ? ` ×${batch}` : ''}`;
    if (backend.backend !== want) problems.push(`${tag}: backend is ${backend.backend}, expected ${want} (${backend.reason})`);
    if (backend.threads !== threads) problems.push(`${tag}: backend() reports ${backend.threads} threads, expected ${threads}`);
    if (!backend.crossOriginIsolated) problems.push(`${tag}: page is not cross-origin isolated (WASM threads unavailable)`);
    const cpu = cpuMeter();
    const t0 = performance.now();
    const times = await withTimeout(
      debugApi(page).run((api, [id, n, w, b]) => api.benchmark(id, n, w, b), [modelId, runs, warmupMs, batch] as const),
      // A batched run takes N times as long: allow 3 s per image on top (a loaded machine took 2.5 s per image).
      180_000 + warmupMs + runs * batch * 3000,
      `benchmark(${modelId}, ${threads} threads)`,
    );
    const callMs = performance.now() - t0;
    const cpuUse = cpu.stop();
    if (times.length !== runs) problems.push(`${tag}: benchmark() returned ${times.length} timings, expected ${runs}`);
    const summary = summarize(times);
    log(
      `${tag}: ${describe(summary)}${batch > 1 ? ` per run of ${batch} = ${(summary.median / batch).toFixed(1)} ms/image` : ''} [${backend.backend}${backend.webgpuAdapter ? ` (${backend.webgpuAdapter})` : ''}, ${backend.threads} threads, crossOriginIsolated=${backend.crossOriginIsolated}, CPU: machine ${pct(cpuUse?.machine ?? null)}, other processes ${pct(cpuUse?.others ?? null)}]`,
    );
    if (errors.length) log(`${tag}: page reported errors: ${errors.join(' | ')}`);
    return {
      model: modelId,
      task: findModel(modelId).task,
      runtime: want === 'webgpu' ? 'browser-webgpu' : 'browser-wasm',
      threads,
      batch,
      backend,
      callMs,
      cpu: cpuUse,
      times,
      summary,
      pageErrors: errors,
    };
  } finally {
    await context.close();
  }
}
