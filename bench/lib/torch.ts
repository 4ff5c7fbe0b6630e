// PyTorch peer: runs bench/torch_resnet50.py when Debian's python3-torch and python3-torchvision are importable.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from './server.ts';
import { cpuMeter, type CpuReading } from './cpu.ts';
import { describe, log, pct, summarize, type Summary } from './stats.ts';

const run = promisify(execFile);
export const PYTHON = '/usr/bin/python3';
const SCRIPT = path.join(ROOT, 'bench', 'torch_resnet50.py');

export type TorchResult =
  | { status: 'not installed'; detail: string }
  | { status: 'failed'; detail: string }
  | {
      status: 'ok';
      model: string;
      runtime: 'pytorch';
      threads: number;
      torch: string;
      torchvision: string;
      python: string;
      loadMs: number;
      warmupRuns: number;
      cpu: CpuReading | null;
      times: number[];
      summary: Summary;
    };

/** Detects only: nothing is installed. */
export async function detectTorch(): Promise<{ ok: true; versions: string } | { ok: false; detail: string }> {
  if (!existsSync(PYTHON)) return { ok: false, detail: `${PYTHON} does not exist` };
  try {
    const { stdout } = await run(PYTHON, ['-c', 'import torch, torchvision; print(torch.__version__, torchvision.__version__)'], { timeout: 60_000 });
    return { ok: true, versions: stdout.trim() };
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    const last = (err.stderr ?? err.message).trim().split('\n').pop() ?? '';
    return { ok: false, detail: last };
  }
}

export async function benchTorch(runs: number, warmupMs: number, threads: number, beforeRun: () => Promise<void>): Promise<TorchResult> {
  const found = await detectTorch();
  if (!found.ok) {
    log(`pytorch: not installed (${found.detail})`);
    return { status: 'not installed', detail: found.detail };
  }
  await beforeRun();
  log(`pytorch: ${found.versions}; torchvision resnet50, ${threads} threads…`);
  const cpu = cpuMeter();
  try {
    const { stdout } = await run(PYTHON, [SCRIPT, '--runs', String(runs), '--warmup-ms', String(warmupMs), '--threads', String(threads)], {
      timeout: 240_000,
      maxBuffer: 1 << 20,
    });
    const line = stdout.trim().split('\n').pop() ?? '';
    const cpuUse = cpu.stop();
    const r = JSON.parse(line) as Omit<Extract<TorchResult, { status: 'ok' }>, 'status' | 'cpu'>;
    // Recompute from the raw timings so every runtime is summarised by the same code.
    const summary = summarize(r.times);
    log(`pytorch resnet50 ${r.threads}t: ${describe(summary)} [other processes ${pct(cpuUse?.others ?? null)} CPU]`);
    return { ...r, status: 'ok', cpu: cpuUse, summary };
  } catch (e) {
    const detail = (e as Error).message.split('\n').slice(-5).join(' ');
    log(`pytorch: failed (${detail})`);
    return { status: 'failed', detail };
  }
}
