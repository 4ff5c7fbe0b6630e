// Summary statistics over raw timings, and the small logging helpers every bench step shares.

export interface Summary {
  runs: number;
  median: number;
  p90: number;
  mean: number;
  min: number;
  max: number;
  /** Sample standard deviation. */
  stdev: number;
}

/** Linear-interpolated quantile (numpy's default) of an ascending array. */
export function quantile(sorted: number[], q: number): number {
  if (!sorted.length) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

export function summarize(times: number[]): Summary {
  if (!times.length) throw new Error('no timings to summarize');
  if (times.some((t) => !Number.isFinite(t) || t < 0)) throw new Error(`invalid timings: ${times.join(', ')}`);
  const s = [...times].sort((a, b) => a - b);
  const mean = s.reduce((a, b) => a + b, 0) / s.length;
  const variance = s.length > 1 ? s.reduce((a, b) => a + (b - mean) ** 2, 0) / (s.length - 1) : 0;
  return {
    runs: s.length,
    median: quantile(s, 0.5),
    p90: quantile(s, 0.9),
    mean,
    min: s[0],
    max: s[s.length - 1],
    stdev: Math.sqrt(variance),
  };
}

/** Rounds for display and JSON (timings are not meaningful below 0.01 ms). */
export const round = (x: number, digits = 2): number => Math.round(x * 10 ** digits) / 10 ** digits;

export function roundSummary(s: Summary): Summary {
  return { runs: s.runs, median: round(s.median), p90: round(s.p90), mean: round(s.mean), min: round(s.min), max: round(s.max), stdev: round(s.stdev) };
}

const started = Date.now();

/** One progress line, prefixed with the time since the bench started. */
export function log(msg: string): void {
  const s = Math.round((Date.now() - started) / 1000);
  console.log(`[bench ${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}] ${msg}`);
}

export function describe(s: Summary): string {
  return `median ${s.median.toFixed(1)} ms, p90 ${s.p90.toFixed(1)} ms, mean ${s.mean.toFixed(1)} ms (n=${s.runs}, min ${s.min.toFixed(1)}, max ${s.max.toFixed(1)})`;
}

export const pct = (x: number | null): string => (x === null ? '?' : `${Math.round(x * 100)}%`);

/** Rejects when `p` takes longer than `ms`: a hung page or process fails the bench instead of stalling it. */
export async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${Math.round(ms / 1000)} s`)), ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
