// The printed table and ratios, machine info, and the JSON files under bench/results/.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BrowserResult } from './browser.ts';
import type { NativeResult } from './native.ts';
import type { PipelineResult, ThroughputResult } from './pipeline.ts';
import { describeModels, fmtMB, signedMB, type MemoryResult } from './memory.ts';
import type { AnalyticsResult } from './analytics.ts';
import { formatAnalytics } from './analytics-report.ts';
import { formatFaces, type FacesResult } from './faces.ts';
import { formatWebcam, type WebcamResult } from './webcam.ts';
import { ROOT } from './server.ts';
import type { CpuReading } from './cpu.ts';
import { pct, round, type Summary } from './stats.ts';
import type { TorchResult } from './torch.ts';

export interface Results {
  ok: boolean;
  problems: string[];
  warnings: string[];
  machine: Record<string, unknown>;
  options: Record<string, unknown>;
  durationMs: number;
  buildMs: number | null;
  browser: BrowserResult[];
  /** The batch part: the same hook with N images per session.run. */
  batch: BrowserResult[];
  native: NativeResult[];
  torch: TorchResult | { status: 'skipped'; detail: string };
  pipeline: PipelineResult | null;
  throughput: ThroughputResult | null;
  memory: MemoryResult | null;
  analytics: AnalyticsResult | null;
  faces: FacesResult | null;
  webcam: WebcamResult | null;
  ratios: Ratios;
}

export interface Ratios {
  /** browser median ÷ native median, per model and thread count. */
  browserOverNative: { model: string; threads: number; ratio: number }[];
  /** 1-thread median ÷ 2-thread median. */
  speedup2t: { model: string; runtime: string; ratio: number }[];
  /** pipeline ms/image ÷ browser raw-inference median of the pipeline's model at 2 threads. */
  pipelineOverRaw: { model: string; threads: number; pipelineMsPerImage: number; rawMedianMs: number; ratio: number } | null;
  /** classify + detect + store ms/image ÷ classify-only pipeline ms/image (both including cold start, and after the first image). */
  throughputOverPipeline: { throughputMsPerImage: number; pipelineMsPerImage: number; ratio: number; steadyRatio: number | null } | null;
  /** throughput ms/image after the first image ÷ (classifier + detector browser raw medians at the run's thread count). */
  throughputOverRaw: { classifier: string; detector: string; threads: number; steadyMsPerImage: number; rawSumMs: number; ratio: number } | null;
}

const pkgVersion = (name: string): string => {
  try {
    return (JSON.parse(readFileSync(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '?';
  }
};

function git(args: string[]): string | null {
  try {
    return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

export function machineInfo(extra: Record<string, unknown>): Record<string, unknown> {
  const cpus = os.cpus();
  return {
    date: new Date().toISOString(),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    cpuModel: cpus[0]?.model ?? '?',
    cpus: cpus.length,
    memoryGiB: round(os.totalmem() / 2 ** 30, 1),
    loadavgAtStart: os.loadavg().map((x) => round(x)),
    node: process.version,
    onnxruntimeNode: pkgVersion('onnxruntime-node'),
    onnxruntimeWebPackage: pkgVersion('onnxruntime-web'),
    playwrightCore: pkgVersion('playwright-core'),
    gitCommit: git(['rev-parse', 'HEAD']),
    gitDirty: (git(['status', '--porcelain']) ?? '') !== '',
    ...extra,
  };
}

export function computeRatios(
  browser: BrowserResult[],
  native: NativeResult[],
  pipeline: PipelineResult | null,
  pipelineModel: string,
  throughput: ThroughputResult | null = null,
): Ratios {
  const find = <T extends { model: string; threads: number; summary: Summary }>(xs: T[], m: string, t: number) =>
    xs.find((x) => x.model === m && x.threads === t);
  const models = [...new Set([...browser, ...native].map((r) => r.model))];
  const browserOverNative: Ratios['browserOverNative'] = [];
  const speedup2t: Ratios['speedup2t'] = [];
  for (const m of models) {
    for (const b of browser.filter((x) => x.model === m)) {
      const n = find(native, m, b.threads);
      if (n) browserOverNative.push({ model: m, threads: b.threads, ratio: round(b.summary.median / n.summary.median) });
    }
    for (const [runtime, xs] of [
      ['browser-wasm', browser],
      ['onnxruntime-node', native],
    ] as const) {
      const one = find<BrowserResult | NativeResult>(xs, m, 1);
      const two = find<BrowserResult | NativeResult>(xs, m, 2);
      if (one && two) speedup2t.push({ model: m, runtime, ratio: round(one.summary.median / two.summary.median) });
    }
  }
  const raw = find(browser, pipelineModel, 2);
  const pipelineOverRaw =
    pipeline && raw
      ? {
          model: pipelineModel,
          threads: 2,
          pipelineMsPerImage: round(pipeline.msPerImage),
          rawMedianMs: round(raw.summary.median),
          ratio: round(pipeline.msPerImage / raw.summary.median),
        }
      : null;
  const throughputOverPipeline =
    throughput && pipeline && throughput.stored && pipeline.stored
      ? {
          throughputMsPerImage: round(throughput.msPerImage),
          pipelineMsPerImage: round(pipeline.msPerImage),
          ratio: round(throughput.msPerImage / pipeline.msPerImage),
          steadyRatio:
            throughput.steadyMsPerImage !== null && pipeline.steadyMsPerImage ? round(throughput.steadyMsPerImage / pipeline.steadyMsPerImage) : null,
        }
      : null;
  const tc = throughput && find(browser, throughput.classifier, throughput.backend.threads);
  const td = throughput && find(browser, throughput.detector, throughput.backend.threads);
  const throughputOverRaw =
    throughput && tc && td && throughput.steadyMsPerImage !== null
      ? {
          classifier: throughput.classifier,
          detector: throughput.detector,
          threads: throughput.backend.threads,
          steadyMsPerImage: round(throughput.steadyMsPerImage),
          rawSumMs: round(tc.summary.median + td.summary.median),
          ratio: round(throughput.steadyMsPerImage / (tc.summary.median + td.summary.median)),
        }
      : null;
  return { browserOverNative, speedup2t, pipelineOverRaw, throughputOverPipeline, throughputOverRaw };
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const line = (r: string[]) => `| ${r.map((cell, c) => (c >= 2 ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join(' | ')} |`;
  return [line(rows[0]), `|${widths.map((w, c) => (c >= 2 ? `${'-'.repeat(w + 1)}:` : `${'-'.repeat(w + 2)}`)).join('|')}|`, ...rows.slice(1).map(line)].join(
    '\n',
  );
}

export function formatReport(r: Results): string {
  const ms = (x: number) => x.toFixed(1);
  const others = (c: CpuReading | null) => pct(c?.others ?? null);
  const rows: string[][] = [['model', 'runtime', 'threads', 'median ms', 'p90 ms', 'mean ms', 'runs', 'others CPU']];
  const ortWeb = r.browser[0]?.backend.ortVersion ?? String(r.machine.onnxruntimeWebPackage);
  const row = (model: string, runtime: string, x: { threads: number; summary: Summary; cpu: CpuReading | null }) => {
    const s = x.summary;
    rows.push([model, runtime, String(x.threads), ms(s.median), ms(s.p90), ms(s.mean), String(s.runs), others(x.cpu)]);
  };
  // Classifiers as before (browser, native, PyTorch), then the detectors (browser, native) in the same table.
  const isDet = (x: { task?: string }) => x.task === 'detection';
  const where = (b: BrowserResult) =>
    b.runtime === 'browser-webgpu' ? `browser WebGPU (ORT-web ${ortWeb}; ${b.backend.webgpuAdapter ?? 'no adapter'})` : `browser WASM (ORT-web ${ortWeb})`;
  for (const b of r.browser.filter((x) => !isDet(x))) row(b.model, where(b), b);
  for (const n of r.native.filter((x) => !isDet(x))) row(n.model, `onnxruntime-node ${r.machine.onnxruntimeNode}`, n);
  const t = r.torch;
  if (t.status === 'ok') row('resnet50 (torchvision, random weights)', `PyTorch ${t.torch}`, t);
  else if (!(t.status === 'skipped' && t.detail.startsWith('--only')))
    rows.push(['resnet50 (torchvision)', `PyTorch: ${t.status}`, '2', '–', '–', '–', '–', '–']);
  for (const b of r.browser.filter(isDet)) row(b.model, where(b), b);
  for (const n of r.native.filter(isDet)) row(n.model, `onnxruntime-node ${r.machine.onnxruntimeNode}`, n);

  const out = [
    table(rows),
    'others CPU: share of the machine used by other processes during that measurement (incl. load and warm-up); above ~10 % it is disturbed, 2-thread runs most.',
    '',
  ];
  out.push('browser / native (same threads, median):');
  for (const x of r.ratios.browserOverNative) out.push(`  ${x.model.padEnd(22)} ${x.threads}t  ${x.ratio.toFixed(2)}×`);
  out.push('2-thread speedup (1t median / 2t median):');
  for (const x of r.ratios.speedup2t) out.push(`  ${x.model.padEnd(22)} ${x.runtime.padEnd(17)} ${x.ratio.toFixed(2)}×`);
  const p = r.pipeline;
  if (p) {
    out.push(
      `pipeline (UI, ${p.model}, ${p.backend.backend} ${p.backend.threads}t): ${p.files} files, ${p.stored} stored / ${p.failed} failed / ${p.skipped} skipped, ` +
        `${(p.wallMs / 1000).toFixed(2)} s = ${p.imagesPerSecond.toFixed(2)} images/s, ${ms(p.msPerImage)} ms/image (includes model load and cold start; others CPU ${others(p.cpu)})`,
    );
    const q = r.ratios.pipelineOverRaw;
    out.push(
      q
        ? `pipeline / raw inference: ${ms(q.pipelineMsPerImage)} ms/image ÷ ${ms(q.rawMedianMs)} ms (${q.model}, browser ${q.threads}t median) = ${q.ratio.toFixed(2)}×`
        : 'pipeline / raw inference: n/a (no 2-thread browser run of the pipeline model)',
    );
    if (p.steadyMsPerImage !== null)
      out.push(
        `pipeline after the first image (no model load / cold start): ${ms(p.steadyMsPerImage)} ms/image = ${(60_000 / p.steadyMsPerImage).toFixed(1)} images/min`,
      );
  } else out.push('pipeline: skipped');
  const tp = r.throughput;
  if (tp) {
    out.push(
      `throughput (UI, ${tp.classifier} + ${tp.detector} + store, ${tp.backend.backend} ${tp.backend.threads}t): ${tp.files} files (${tp.sources} ImageNet/COCO photos, distinct copies), ` +
        `${tp.stored} stored / ${tp.failed} failed / ${tp.skipped} skipped, ${(tp.wallMs / 1000).toFixed(2)} s = ${tp.imagesPerMinute.toFixed(1)} images/min, ${ms(tp.msPerImage)} ms/image ` +
        `(includes model load and cold start; others CPU ${others(tp.cpu)})`,
    );
    if (tp.steadyMsPerImage !== null)
      out.push(`throughput after the first image: ${ms(tp.steadyMsPerImage)} ms/image = ${tp.steadyImagesPerMinute!.toFixed(1)} images/min`);
    const q = r.ratios.throughputOverPipeline;
    out.push(
      q
        ? `classify + detect + store vs classify only (pipeline above): ${ms(q.throughputMsPerImage)} vs ${ms(q.pipelineMsPerImage)} ms/image = ${q.ratio.toFixed(2)}×` +
            (q.steadyRatio !== null ? ` (after the first image: ${q.steadyRatio.toFixed(2)}×)` : '')
        : 'classify + detect + store vs classify only: n/a (no classify-only pipeline run)',
    );
    const w = r.ratios.throughputOverRaw;
    out.push(
      w
        ? `throughput / raw inference: ${ms(w.steadyMsPerImage)} ms/image ÷ (${w.classifier} + ${w.detector} browser ${w.threads}t medians = ${ms(w.rawSumMs)} ms) = ${w.ratio.toFixed(2)}×`
        : "throughput / raw inference: n/a (no browser latency runs of both models at the throughput run's thread count)",
    );
  } else out.push('throughput: skipped');
  out.push(...formatBatch(r.batch));
  out.push(...formatMemory(r.memory));
  out.push(...formatAnalytics(r.analytics));
  out.push(...formatFaces(r.faces), ...formatWebcam(r.webcam));
  out.push(
    `load average at start ${JSON.stringify(r.machine.loadavgAtStart)}, at end ${JSON.stringify(r.machine.loadavgAtEnd)} (${r.machine.cpus} CPUs): ratios come from one run on a possibly noisy machine`,
  );
  if (r.warnings.length) out.push('', `WARNINGS (${r.warnings.length}):`, ...r.warnings.map((x) => `  - ${x}`));
  if (r.problems.length) out.push('', `PROBLEMS (${r.problems.length}):`, ...r.problems.map((x) => `  - ${x}`));
  return out.join('\n');
}

/** Per model: median ms per run and per image for each N, and the gain per image over N = 1 of the same run. */
function formatBatch(rs: BrowserResult[]): string[] {
  if (!rs.length) return ['batch: skipped'];
  const out = ['batched inference (N images per session.run, browser, median):'];
  for (const m of [...new Set(rs.map((r) => r.model))]) {
    const one = rs.find((r) => r.model === m && r.batch === 1);
    const cells = rs
      .filter((r) => r.model === m)
      .map((r) => {
        const per = r.summary.median / r.batch;
        const gain = one ? ` (${(one.summary.median / per).toFixed(2)}×)` : '';
        return `N=${r.batch}: ${r.summary.median.toFixed(0)} ms/run = ${per.toFixed(1)} ms/image${gain}, others CPU ${pct(r.cpu?.others ?? null)}`;
      });
    out.push(`  ${m} (${rs.find((r) => r.model === m)!.runtime} ${rs[0].threads}t): ${cells.join('; ')}`);
  }
  return out;
}

const kb = (b: number | null) => (b === null ? '?' : `${b >= 0 ? '+' : '−'}${(Math.abs(b) / 1000).toFixed(1)} KB`);

function formatMemory(m: MemoryResult | null): string[] {
  if (!m) return ['memory: skipped'];
  const g = m.growth;
  const out = [
    `memory (UI, ${describeModels(m.classifier, m.detector)} + store, ${m.backend.backend} ${m.backend.threads}t): ${m.images} distinct 64×64 BMPs, ` +
      `${m.warmBatch.stored + m.mainBatch.stored} stored / ${m.warmBatch.failed + m.mainBatch.failed} failed; "before" after the first ${m.warmImages}, "after" after all ${m.images} and gc(); ` +
      `main batch ${(m.mainBatch.wallMs / 1000).toFixed(1)} s = ${m.msPerImage.toFixed(1)} ms/image`,
    `  measureUserAgentSpecificMemory (page + workers, incl. WASM heaps): ${fmtMB(m.before.uaBytes)} → ${fmtMB(m.after.uaBytes)} = ${signedMB(g.uaBytes)} ` +
      `over ${g.images} images = ${kb(g.uaBytesPerImage)}/image; bound ${m.boundMB} MB: ${m.withinBound ? 'ok' : 'EXCEEDED'}`,
  ];
  const keys = [...new Set([...Object.keys(m.before.uaBreakdown), ...Object.keys(m.after.uaBreakdown)])].sort();
  if (keys.length)
    out.push(
      `    by owner: ${keys.map((k) => `${k} ${fmtMB(m.before.uaBreakdown[k] ?? 0)} → ${fmtMB(m.after.uaBreakdown[k] ?? 0)} (${signedMB(g.uaBreakdown[k] ?? 0)})`).join('; ')}`,
    );
  out.push(
    `  page JS heap used (CDP, after gc()): ${fmtMB(m.before.jsHeapUsed)} → ${fmtMB(m.after.jsHeapUsed)} = ${signedMB(g.jsHeapUsed)} = ${kb(g.jsHeapUsedPerImage)}/image; ` +
      `DOM nodes ${m.before.nodes} → ${m.after.nodes} (${g.nodesPerImage.toFixed(1)}/image); JS event listeners ${m.before.jsEventListeners} → ${m.after.jsEventListeners}`,
    `  renderer process RSS (page + workers + everything native; informational, not bounded): ${fmtMB(m.before.rendererRss)} → ${fmtMB(m.after.rendererRss)} = ${signedMB(g.rendererRss)}, ` +
      `5 s later ${fmtMB(m.rssSettled)} (${signedMB(g.rendererRssSettled)} = ${kb(g.rendererRssSettled === null ? null : Math.round(g.rendererRssSettled / Math.max(1, g.images)))}/image), ` +
      `after a simulated critical memory pressure ${fmtMB(m.rssAfterPressure)} (${signedMB(m.rssAfterPressure === null || m.before.rendererRss === null ? null : m.rssAfterPressure - m.before.rendererRss)})`,
  );
  if (m.rssDuringMainBatch.length)
    out.push(`    RSS during the batch (images: MB): ${m.rssDuringMainBatch.map((x) => `${x.images}: ${(x.rss / 1e6).toFixed(0)}`).join(', ')}`);
  if (m.records)
    out.push(
      `  stored per image (IndexedDB records as JSON, the library keeps them in memory): ${(m.records.jsonBytesPerImage / 1000).toFixed(2)} KB ` +
        `(${m.records.images} images ${(m.records.imageJsonBytes / m.records.images / 1000).toFixed(2)} KB, ${m.records.results} results ${(m.records.resultJsonBytes / m.records.images / 1000).toFixed(2)} KB per image)`,
    );
  return out;
}

/** Writes bench-<timestamp>.json always, and latest.json only for a run without problems. */
export function writeResults(r: Results): string[] {
  const dir = path.join(ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const stamp = String(r.machine.date)
    .replace(/\.\d+Z$/, 'Z')
    .replace(/:/g, '-');
  const json = `${JSON.stringify(r, null, 2)}\n`;
  const files = [path.join(dir, `bench-${stamp}.json`)];
  if (r.ok) files.push(path.join(dir, 'latest.json'));
  for (const f of files) writeFileSync(f, json);
  return files.map((f) => path.relative(ROOT, f));
}
