// `npm run bench`: browser WASM vs onnxruntime-node vs PyTorch latency (classifiers and YOLO detectors), end-to-end UI
// throughput (classify only; classify + detect + store), memory over 1,000 images, the analytics views' work over 10k and
// 100k synthetic records (queries, clustering, recommendations), faces on stills (1/2 WASM threads) and the live webcam view
// on a fake camera (fps, latency, tensors, heap), in one run (`--only` selects). See bench/README.md.
// Exits non-zero when a step fails or a check (threads, isolation, N stored, memory bound, analytics target) does not hold.
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { benchBrowser, launchBrowser, type BrowserResult } from './lib/browser.ts';
import { benchNative, findModel, nativeOrtVersion, type NativeResult } from './lib/native.ts';
import { PIPELINE_MODEL, parseOptions } from './lib/options.ts';
import { benchMemory, type MemoryResult } from './lib/memory.ts';
import { benchAnalytics, type AnalyticsResult } from './lib/analytics.ts';
import { benchFaces, type FacesResult } from './lib/faces.ts';
import { benchWebcam, type WebcamResult } from './lib/webcam.ts';
import { benchPipeline, benchThroughput, type PipelineResult, type ThroughputResult } from './lib/pipeline.ts';
import { computeRatios, formatReport, machineInfo, writeResults, type Results } from './lib/report.ts';
import { buildApp, checkPrerequisites, ROOT, startServer, type Server } from './lib/server.ts';
import { waitForQuiet } from './lib/cpu.ts';
import { log, pct, round } from './lib/stats.ts';
import { benchTorch } from './lib/torch.ts';
import { fetchModels } from '../scripts/lib/models.ts';
import { deriveIn } from '../scripts/lib/quantize/recipe.ts';
import type { ModelManifest } from '../src/shared/manifest.ts';

const t0 = Date.now();
const opts = parseOptions(process.argv.slice(2));
const machine = machineInfo({ onnxruntimeNodeRuntime: nativeOrtVersion() });
const problems: string[] = [];
/** Things that did not invalidate the numbers but a reader should know (e.g. the server had to be restarted). */
const warnings: string[] = [];
const browserResults: BrowserResult[] = [];
/** The batch part: N images per session.run. */
const batchResults: BrowserResult[] = [];
const nativeResults: NativeResult[] = [];
let torch: Results['torch'] = { status: 'skipped', detail: '--no-torch' };
let pipeline: PipelineResult | null = null;
let throughput: ThroughputResult | null = null;
let memory: MemoryResult | null = null;
let analytics: AnalyticsResult | null = null;
let faces: FacesResult | null = null;
let webcam: WebcamResult | null = null;
let buildMs: number | null = null;
let server: Server | null = null;
let browser: Browser | null = null;
/** The memory step's own Chromium (other flags), while it runs. */
let memoryBrowser: Browser | null = null;
/** The webcam step's own Chromium (fake camera flags), while it runs. */
let webcamBrowser: Browser | null = null;
const parts = new Set(opts.only);

let interrupted: string | null = null;
let cleaning: Promise<void> | null = null;

/** Closes the browser and stops the server once; every caller waits for the same shutdown. */
function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    await browser?.close().catch(() => {});
    await memoryBrowser?.close().catch(() => {});
    await webcamBrowser?.close().catch(() => {});
    await server?.stop().catch(() => {});
  })();
  return cleaning;
}

for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => {
    interrupted = sig;
    log(`${sig}: stopping the browser and the server`);
    void cleanup().finally(() => process.exit(130));
  });
}

/** The machine is shared: if something else killed our server between configurations, start it again. */
async function liveServer(): Promise<Server> {
  const info = server!.exitInfo();
  if (info === null) return server!;
  const port = Number(new URL(server!.url).port);
  warnings.push(`the server exited between measurements (${info}); restarted`);
  log(`warning: the server exited (${info}); restarting it`);
  server = await startServer(port).catch(() => startServer());
  return server;
}

// Waiting for quiet is capped over the whole run (2 × --quiet-wait) so the bench stays within its time budget.
let quietBudgetMs = opts.quietWaitS * 2000;

/** Before each measurement: wait (bounded) for other work on the shared machine to finish; note it when it did not. */
async function settle(label: string, maxS = 30): Promise<void> {
  const maxMs = Math.min(maxS * 1000, quietBudgetMs);
  if (maxMs <= 0) return;
  const q = await waitForQuiet(maxMs);
  quietBudgetMs -= q.waitedMs;
  if (!q.quiet) {
    warnings.push(`${label}: other processes still used ${pct(q.others)} of the CPU after waiting ${Math.round(q.waitedMs / 1000)} s`);
  }
}

function finish(fatal: Error | null): number {
  if (interrupted) problems.push(`interrupted by ${interrupted}`);
  else if (fatal) problems.push(`fatal: ${fatal.message}`);
  machine.loadavgAtEnd = os.loadavg().map((x) => round(x));
  const results: Results = {
    ok: problems.length === 0,
    problems,
    warnings,
    machine,
    options: { ...opts },
    durationMs: Date.now() - t0,
    buildMs,
    browser: browserResults,
    batch: batchResults,
    native: nativeResults,
    torch,
    pipeline,
    throughput,
    memory,
    analytics,
    faces,
    webcam,
    ratios: computeRatios(browserResults, nativeResults, pipeline, PIPELINE_MODEL, throughput),
  };
  console.log(`\n${formatReport(results)}\n`);
  const files = writeResults(results);
  log(`wrote ${files.join(', ')}`);
  log(`${results.ok ? 'done' : 'FAILED'} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return interrupted ? 130 : results.ok ? 0 : 1;
}

async function main(): Promise<void> {
  const load = os.loadavg().map((x) => x.toFixed(2));
  log(`${os.cpus().length} CPUs (${machine.cpuModel}), load average ${load.join(' ')}, node ${process.version}; parts: ${opts.only.join(', ')}`);
  if (!opts.only.length) throw new Error('--only selects no part');
  if (opts.runs < 20 && (parts.has('classify') || parts.has('detect'))) log(`warning: --runs ${opts.runs} is below 20; use these numbers for smoke tests only`);
  const classifiers = parts.has('classify') ? opts.models : [];
  const detectors = parts.has('detect') ? opts.detectors : [];
  type Need = [string, 'classification' | 'detection'];
  const need: Need[] = [...classifiers.map((id): Need => [id, 'classification']), ...detectors.map((id): Need => [id, 'detection'])];
  if (parts.has('throughput')) need.push([PIPELINE_MODEL, 'classification'], [opts.throughputDetector, 'detection']);
  if (parts.has('batch')) need.push(...opts.batchModels.map((id): Need => [id, 'classification']));
  if (parts.has('memory') && opts.memoryClassifier) need.push([opts.memoryClassifier, 'classification']);
  if (parts.has('memory') && opts.memoryDetector) need.push([opts.memoryDetector, 'detection']);
  // A model built locally (the int8 ResNet50 is optional) is built now when missing, as `npm run models -- --only <id>` does.
  const manifest = JSON.parse(readFileSync(path.join(ROOT, 'models', 'manifest.json'), 'utf8')) as ModelManifest;
  const toBuild = [...new Set(need.map(([id]) => id))].filter((id) => {
    const e = manifest.models.find((x) => x.id === id);
    return e?.derive && !existsSync(path.join(ROOT, 'models', 'files', e.file));
  });
  if (toBuild.length) {
    log(`building ${toBuild.join(', ')} (npm run models -- --only ${toBuild.join(',')})…`);
    const reports = await fetchModels({ manifest, dir: path.join(ROOT, 'models', 'files'), only: toBuild, derive: deriveIn(ROOT), log });
    const failed = reports.filter((r) => r.status === 'failed');
    if (failed.length) throw new Error(`could not build ${failed.map((r) => `${r.file}: ${r.message}`).join('; ')}`);
  }
  for (const [id, task] of need) {
    const m = findModel(id);
    if (m.task !== task) throw new Error(`${id} is a ${m.task} model, expected ${task}`);
    const f = path.join(ROOT, 'models', 'files', m.file);
    if (!existsSync(f)) throw new Error(`${f} is missing: run \`npm run models\``);
  }

  if (opts.build) buildMs = await buildApp();
  checkPrerequisites();
  await settle('start', opts.quietWaitS);

  // Native first: it needs neither the server nor the browser, and fails fast on a bad model file.
  const latencyModels = [...classifiers, ...detectors];
  if (latencyModels.length) {
    log(
      `native: onnxruntime-node ${nativeOrtVersion()}, ${latencyModels.length} models × threads ${opts.threads.join(',')}, warm-up ${opts.warmupMs} ms, ${opts.runs} runs`,
    );
  }
  for (const id of latencyModels) {
    for (const t of opts.threads) {
      await settle(`native ${id} ${t}t`);
      nativeResults.push(await benchNative(id, t, opts.runs, opts.warmupMs));
    }
  }

  if (parts.has('classify') && opts.torch) {
    torch = await benchTorch(opts.runs, opts.warmupMs, 2, () => settle('pytorch'));
    if (torch.status === 'failed') problems.push(`pytorch: ${torch.detail}`);
  } else if (!parts.has('classify')) torch = { status: 'skipped', detail: '--only without classify' };

  server = await startServer();
  machine.serverHeaders = {
    'cross-origin-opener-policy': server.headers['cross-origin-opener-policy'] ?? null,
    'cross-origin-embedder-policy': server.headers['cross-origin-embedder-policy'] ?? null,
  };
  const browserParts = ['batch', 'throughput', 'analytics', 'faces'] as const;
  if (latencyModels.length || (parts.has('classify') && opts.pipeline) || browserParts.some((p) => parts.has(p))) {
    browser = await launchBrowser([], opts.backend);
    machine.chromium = browser.version();
    if (latencyModels.length) {
      log(`chromium ${browser.version()}: raw inference in the app's worker, ${latencyModels.length} models × threads ${opts.threads.join(',')}`);
    }
    for (const id of latencyModels) {
      for (const t of opts.threads) {
        await settle(`browser ${id} ${t}t`);
        const r = await benchBrowser(browser, (await liveServer()).url, id, t, opts.runs, opts.warmupMs, problems, { want: opts.backend });
        browserResults.push(r);
        machine.onnxruntimeWebRuntime = r.backend.ortVersion;
      }
    }
    if (parts.has('batch')) {
      // At the app's own thread count (the highest asked for); fewer runs for bigger batches, same images in all.
      const t = Math.max(...opts.threads);
      for (const id of opts.batchModels)
        for (const n of opts.batchSizes) {
          await settle(`batch ${id} ×${n}`);
          const runs = Math.max(10, Math.ceil(opts.runs / n));
          batchResults.push(await benchBrowser(browser, (await liveServer()).url, id, t, runs, opts.warmupMs, problems, { batch: n, want: opts.backend }));
        }
    }

    if (parts.has('classify') && opts.pipeline) {
      await settle('pipeline');
      pipeline = await benchPipeline(browser, (await liveServer()).url, opts.copies, problems);
    }
    if (parts.has('throughput')) {
      await settle('throughput');
      throughput = await benchThroughput(browser, (await liveServer()).url, opts.throughputDetector, opts.throughputFiles, problems);
    }
    if (parts.has('analytics')) {
      await settle('analytics');
      analytics = await benchAnalytics(
        browser,
        (await liveServer()).url,
        {
          sizes: opts.analyticsSizes,
          embeddings: opts.analyticsEmbeddings,
          runs: opts.analyticsRuns,
          targetMs: opts.analyticsTargetMs,
          responsiveMs: opts.analyticsResponsiveMs,
          autoK: opts.analyticsAutoK,
        },
        (label) => settle(label),
        problems,
      );
    }
    if (parts.has('faces')) {
      faces = await benchFaces(
        browser,
        (await liveServer()).url,
        { rounds: opts.facesRounds, warmupMs: opts.warmupMs, threads: opts.facesThreads },
        (label) => settle(label),
        problems,
      );
    }
    // The memory step launches its own Chromium (other flags): do not keep two browsers alive on 2 cores.
    await browser.close();
    browser = null;
  }

  if (parts.has('webcam')) {
    await settle('webcam');
    webcam = await benchWebcam(
      (await liveServer()).url,
      { frames: opts.webcamFrames, fps: opts.webcamFps, secondsPerPhoto: opts.webcamSecondsPerPhoto },
      problems,
      (b) => {
        webcamBrowser = b;
        if (b) machine.chromium ??= b.version();
      },
    );
  }
  if (parts.has('memory')) {
    await settle('memory');
    memory = await benchMemory(
      (await liveServer()).url,
      { images: opts.memoryImages, warm: opts.memoryWarm, classifier: opts.memoryClassifier, detector: opts.memoryDetector, boundMB: opts.memoryBoundMB },
      problems,
      warnings,
      (b) => {
        memoryBrowser = b;
        if (b) machine.chromium ??= b.version();
      },
    );
  }
}

let code: number;
try {
  await main();
  await cleanup();
  code = finish(null);
} catch (e) {
  console.error(e instanceof Error ? (e.stack ?? e.message) : e);
  await cleanup();
  code = finish(e as Error);
}
process.exit(code);
