// The printed table and ratios, machine info, and the JSON files under bench/results/.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BrowserResult } from './browser.ts';
import type { NativeResult } from './native.ts';
import type { PipelineResult } from './pipeline.ts';
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
  native: NativeResult[];
  torch: TorchResult | { status: 'skipped'; detail: string };
  pipeline: PipelineResult | null;
  ratios: Ratios;
}

export interface Ratios {
  /** browser median ÷ native median, per model and thread count. */
  browserOverNative: { model: string; threads: number; ratio: number }[];
  /** 1-thread median ÷ 2-thread median. */
  speedup2t: { model: string; runtime: string; ratio: number }[];
  /** pipeline ms/image ÷ browser raw-inference median of the pipeline's model at 2 threads. */
  pipelineOverRaw: { model: string; threads: number; pipelineMsPerImage: number; rawMedianMs: number; ratio: number } | null;
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

export function computeRatios(browser: BrowserResult[], native: NativeResult[], pipeline: PipelineResult | null, pipelineModel: string): Ratios {
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
  return { browserOverNative, speedup2t, pipelineOverRaw };
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
  for (const b of r.browser) row(b.model, `browser WASM (ORT-web ${ortWeb})`, b);
  for (const n of r.native) row(n.model, `onnxruntime-node ${r.machine.onnxruntimeNode}`, n);
  const t = r.torch;
  if (t.status === 'ok') row('resnet50 (torchvision, random weights)', `PyTorch ${t.torch}`, t);
  else rows.push(['resnet50 (torchvision)', `PyTorch: ${t.status}`, '2', '–', '–', '–', '–', '–']);

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
  } else out.push('pipeline: skipped');
  out.push(
    `load average at start ${JSON.stringify(r.machine.loadavgAtStart)}, at end ${JSON.stringify(r.machine.loadavgAtEnd)} (${r.machine.cpus} CPUs): ratios come from one run on a possibly noisy machine`,
  );
  if (r.warnings.length) out.push('', `WARNINGS (${r.warnings.length}):`, ...r.warnings.map((x) => `  - ${x}`));
  if (r.problems.length) out.push('', `PROBLEMS (${r.problems.length}):`, ...r.problems.map((x) => `  - ${x}`));
  return out.join('\n');
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
