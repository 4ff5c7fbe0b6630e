// Noise meter for a shared machine (Linux /proc): how much CPU other processes took while we measured.
import { readdirSync, readFileSync } from 'node:fs';
import { log, pct, round } from './stats.ts';

export interface CpuReading {
  /** Whole-machine CPU use, as a fraction of all cores. */
  machine: number;
  /** The part of it used by processes outside this bench's process tree (node, its server, Chromium). */
  others: number;
}

/** [total ticks, idle ticks] of the whole machine. */
function machineTicks(): [number, number] {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  return [f.reduce((a, b) => a + b, 0), f[3] + (f[4] ?? 0)];
}

/** CPU ticks (user + system, all threads) of this process and each of its descendants, by pid. */
function treeTicks(root = process.pid): Map<number, number> {
  const procs = new Map<number, { ppid: number; ticks: number }>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      // Fields after "(comm)": state ppid … utime(14) stime(15); comm may contain spaces and parentheses.
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      procs.set(Number(d), { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) });
    } catch {
      // exited while we looked
    }
  }
  const children = new Map<number, number[]>();
  for (const [pid, p] of procs) children.set(p.ppid, [...(children.get(p.ppid) ?? []), pid]);
  const tree = new Map<number, number>();
  const stack = [root];
  while (stack.length) {
    const pid = stack.pop()!;
    tree.set(pid, procs.get(pid)?.ticks ?? 0);
    stack.push(...(children.get(pid) ?? []));
  }
  return tree;
}

/** Our CPU ticks between two snapshots: per process, so a process that exits (a closed page) does not count negative. */
function ourDelta(a: Map<number, number>, b: Map<number, number>): number {
  let sum = 0;
  for (const [pid, ticks] of b) sum += Math.max(0, ticks - (a.get(pid) ?? 0));
  return sum;
}

/** Starts measuring; `stop()` returns the CPU use since, or null where /proc is not available. */
export function cpuMeter(): { stop(): CpuReading | null } {
  let start: { total: number; idle: number; tree: Map<number, number> } | null = null;
  try {
    const [total, idle] = machineTicks();
    start = { total, idle, tree: treeTicks() };
  } catch {
    start = null;
  }
  return {
    stop() {
      if (!start) return null;
      try {
        const [total, idle] = machineTicks();
        const ours = ourDelta(start.tree, treeTicks());
        const span = total - start.total;
        if (span <= 0) return null;
        const busy = span - (idle - start.idle);
        return { machine: round(busy / span), others: round(Math.max(0, busy - ours) / span) };
      } catch {
        return null;
      }
    },
  };
}

/**
 * Waits (up to `maxMs`) until other processes use less than `threshold` of the machine over a 2 s window, so a
 * burst of other work on a shared machine does not land in a measurement. Returns the last reading.
 */
export async function waitForQuiet(maxMs: number, threshold = 0.15): Promise<{ quiet: boolean; others: number | null; waitedMs: number }> {
  const t0 = Date.now();
  let said = false;
  for (;;) {
    const m = cpuMeter();
    await new Promise((r) => setTimeout(r, 2000));
    const others = m.stop()?.others ?? null;
    const waitedMs = Date.now() - t0;
    const quiet = others === null || others < threshold;
    if (quiet || waitedMs >= maxMs) {
      if (said) log(`  …${quiet ? 'quiet' : 'still busy'} after ${Math.round(waitedMs / 1000)} s (other processes ${pct(others)} CPU)`);
      return { quiet, others, waitedMs };
    }
    if (!said) log(`other processes use ${pct(others)} of the CPU: waiting up to ${Math.round(maxMs / 1000)} s for them to calm down…`);
    said = true;
  }
}
