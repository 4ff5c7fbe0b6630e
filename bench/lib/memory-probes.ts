// The memory step's instruments (bench/lib/memory.ts runs the step): performance.measureUserAgentSpecificMemory()
// (page + workers + DOM, WASM heaps included), CDP Performance.getMetrics (page JS heap, DOM nodes, listeners), the
// renderer process's RSS (informational) and the size of the library's records.
import { readFileSync } from 'node:fs';
import type { CDPSession, Page, Worker } from 'playwright-core';
import type { MemoryResult } from './memory.ts';
import { log, round, withTimeout } from './stats.ts';

export interface MemorySnapshot {
  /** Images stored in the library when the snapshot was taken. */
  libraryCount: number | null;
  /** measureUserAgentSpecificMemory().bytes: page, workers, DOM, shared; null when it failed or timed out. */
  uaBytes: number | null;
  /** Its breakdown summed per owner: "page", "<worker script>", "DOM", "Shared", "other". */
  uaBreakdown: Record<string, number>;
  uaMs: number | null;
  uaError: string | null;
  /** CDP Performance.getMetrics of the page, after gc(). */
  jsHeapUsed: number;
  jsHeapTotal: number;
  nodes: number;
  jsEventListeners: number;
  documents: number;
  /** VmRSS of the renderer process (page + all its workers + WASM heaps + allocator slack). Informational. */
  rendererRss: number | null;
  rendererPid: number | null;
  gcErrors: string[];
}

interface UaMemory {
  bytes: number;
  breakdown: { bytes: number; attribution: { url?: string; scope?: string }[]; types: string[] }[];
}

declare global {
  // Chromium only, not yet in TypeScript's DOM types.
  interface Performance {
    measureUserAgentSpecificMemory(): Promise<UaMemory>;
  }
}

function owner(entry: UaMemory['breakdown'][number]): string {
  const a = entry.attribution[0];
  if (!a) return entry.types.join('+') || 'other';
  if (a.scope === 'Window') return 'page';
  const file = (a.url ?? '').split('/').pop() ?? '';
  // assets/inference.worker-DpdgWyED.js → inference.worker
  return file.replace(/-[\w-]{6,}\.js$/, '').replace(/\.js$/, '') || a.scope || 'other';
}

export async function rendererPid(browserCdp: CDPSession): Promise<number | null> {
  try {
    const { processInfo } = (await browserCdp.send('SystemInfo.getProcessInfo')) as { processInfo: { type: string; id: number; cpuTime: number }[] };
    // One app page is open: its renderer is the one that has done the work (spare renderers sit near 0 s CPU).
    const r = processInfo.filter((p) => p.type === 'renderer').sort((a, b) => b.cpuTime - a.cpuTime)[0];
    return r?.id ?? null;
  } catch {
    return null;
  }
}

export function rssBytes(pid: number | null): number | null {
  if (pid === null) return null;
  try {
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) * 1024 : null;
  } catch {
    return null;
  }
}

/** Runs in the page or a worker. */
const callGc = (): void => {
  const gc = globalThis.gc;
  if (!gc) throw new Error('gc() is not exposed');
  gc();
};

export async function snapshot(page: Page, cdp: CDPSession, browserCdp: CDPSession): Promise<MemorySnapshot> {
  const gcErrors: string[] = [];
  // gc() twice in the page and in the app's own workers (ORT's pthread workers, if any, block in Atomics.wait and
  // never answer: the memory step runs 1 thread, so there are none).
  for (let i = 0; i < 2; i++) {
    const targets: [string, Page | Worker][] = [
      ['page', page],
      ...page
        .workers()
        .filter((w) => !/ort|wasm/i.test(w.url()))
        .map((w): [string, Worker] => [w.url(), w]),
    ];
    await Promise.all(
      targets.map(([name, t]) => withTimeout((t as Page).evaluate(callGc), 10_000, 'gc()').catch((e: Error) => void gcErrors.push(`${name}: ${e.message}`))),
    );
  }
  const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
  const metric = (name: string) => metrics.find((m) => m.name === name)?.value ?? NaN;

  let uaBytes: number | null = null;
  let uaError: string | null = null;
  let uaMs: number | null = null;
  const uaBreakdown: Record<string, number> = {};
  const t0 = performance.now();
  try {
    const ua = await withTimeout(
      page.evaluate(() => performance.measureUserAgentSpecificMemory()),
      90_000,
      'measureUserAgentSpecificMemory()',
    );
    uaMs = performance.now() - t0;
    uaBytes = ua.bytes;
    for (const e of ua.breakdown) {
      if (!e.bytes) continue;
      const k = owner(e);
      uaBreakdown[k] = (uaBreakdown[k] ?? 0) + e.bytes;
    }
  } catch (e) {
    uaError = (e as Error).message;
  }
  const pid = await rendererPid(browserCdp);
  const countText = await page
    .locator('[data-testid=library-count]')
    .textContent()
    .catch(() => null);
  return {
    libraryCount: countText === null ? null : Number(countText),
    uaBytes,
    uaBreakdown,
    uaMs: uaMs === null ? null : round(uaMs),
    uaError,
    jsHeapUsed: metric('JSHeapUsedSize'),
    jsHeapTotal: metric('JSHeapTotalSize'),
    nodes: metric('Nodes'),
    jsEventListeners: metric('JSEventListeners'),
    documents: metric('Documents'),
    rendererRss: rssBytes(pid),
    rendererPid: pid,
    gcErrors,
  };
}

/**
 * Per-image size of what the library stores (and lists in memory): IndexedDB images + results records, as JSON.
 * A string, not a function: tsx/esbuild would wrap named inner functions in a `__name` helper the page lacks.
 */
const RECORD_SIZES_JS = `(async () => {
  const db = await new Promise((res, rej) => {
    const r = indexedDB.open('sightline');
    r.onsuccess = () => res(r.result);
    r.onerror = () => rej(r.error);
  });
  const all = (store) => new Promise((res, rej) => {
    const r = db.transaction(store).objectStore(store).getAll();
    r.onsuccess = () => res(r.result);
    r.onerror = () => rej(r.error);
  });
  const images = await all('images');
  const results = await all('results');
  db.close();
  const json = (xs) => xs.reduce((a, x) => a + JSON.stringify(x).length, 0);
  return { images: images.length, imageJsonBytes: json(images), results: results.length, resultJsonBytes: json(results) };
})()`;

export async function recordSizes(page: Page): Promise<MemoryResult['records']> {
  try {
    const r = (await page.evaluate(RECORD_SIZES_JS)) as Omit<NonNullable<MemoryResult['records']>, 'jsonBytesPerImage'>;
    return { ...r, jsonBytesPerImage: Math.round((r.imageJsonBytes + r.resultJsonBytes) / Math.max(1, r.images)) };
  } catch (e) {
    log(`memory: could not read the library records (explanation only): ${(e as Error).message.split('\n')[0]}`);
    return null;
  }
}

/** RSS of the renderer sampled every 2 s during the main batch, with the number of files finished by then. */
export function rssSampler(page: Page, pid: number | null): { stop(): { finished: number; rss: number }[] } {
  const samples: { finished: number; rss: number }[] = [];
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    void page
      .evaluate(() => document.querySelector('[data-testid=batch-status]')?.textContent ?? '')
      .then((text) => {
        const c = /(\d+) stored · (\d+) failed · (\d+) already/.exec(text);
        const rss = rssBytes(pid);
        if (c && rss !== null) samples.push({ finished: Number(c[1]) + Number(c[2]) + Number(c[3]), rss });
      })
      .catch(() => {})
      .finally(() => (busy = false));
  }, 2000);
  return {
    stop() {
      clearInterval(timer);
      return samples;
    },
  };
}
