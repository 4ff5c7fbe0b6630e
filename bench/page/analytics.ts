// The analytics part of `npm run bench`, run in the page (loaded on demand through the ?debug API's bench(),
// src/debug/, so the app's own bundle does not carry it): seed a synthetic library into IndexedDB in bulk, then
// run the analytics worker's queries, the clustering and the recommendations the way the views do, timing each
// and watching the main thread while they run.
import { db } from '../../src/db/schema';
import { clearLibrary, deleteImage, listLibrary } from '../../src/db/queries';
import type { Filters } from '../../src/shared/aggregate';
import type { LoadTimings } from '../../src/workers/api';
import { analytics, clusterLibrary } from '../../src/pipeline/clusters';
import { SYNTHETIC_CLASSIFIER, SYNTHETIC_PROFILES, syntheticEmbeddings, syntheticId, syntheticRecords } from '../synthetic';

export interface Seeded {
  images: number;
  results: number;
  embeddings: number;
  /** Building the records in the page, and writing them (bulkPut, one transaction per chunk). */
  generateMs: number;
  putMs: number;
}

/**
 * Adds records from … to − 1 of the synthetic library (from 0: the library is cleared first), with embeddings for
 * those below `embeddingsBelow`, in chunks of `chunk` records per transaction.
 */
export async function seed(from: number, to: number, embeddingsBelow: number, seedValue = 42, chunk = 5000): Promise<Seeded> {
  const out: Seeded = { images: 0, results: 0, embeddings: 0, generateMs: 0, putMs: 0 };
  if (from === 0) {
    await clearLibrary();
    await db.profiles.bulkPut(SYNTHETIC_PROFILES.map((p) => ({ id: p.profileId, name: p.name, createdAt: 0 })));
  }
  for (let start = from; start < to; start += chunk) {
    const n = Math.min(chunk, to - start);
    let t0 = performance.now();
    const { images, results } = syntheticRecords(start, n, seedValue);
    out.generateMs += performance.now() - t0;
    t0 = performance.now();
    await db.transaction('rw', [db.images, db.results], async () => {
      await db.images.bulkPut(images);
      await db.results.bulkPut(results);
    });
    out.putMs += performance.now() - t0;
    out.images += images.length;
    out.results += results.length;
    // 2,048 floats each: smaller chunks keep the page's memory flat.
    const embEnd = Math.min(start + n, embeddingsBelow);
    for (let e = start; e < embEnd; e += 1000) {
      t0 = performance.now();
      const vectors = syntheticEmbeddings(e, Math.min(1000, embEnd - e), seedValue);
      out.generateMs += performance.now() - t0;
      t0 = performance.now();
      await db.embeddings.bulkPut(vectors.map((vector, j) => ({ imageId: syntheticId(e + j), modelId: SYNTHETIC_CLASSIFIER, vector })));
      out.putMs += performance.now() - t0;
      out.embeddings += vectors.length;
    }
  }
  return out;
}

export interface Responsiveness {
  /** How long the watch ran. */
  wallMs: number;
  /** requestAnimationFrame callbacks, and the longest gap between two (16.7 ms at 60 Hz when nothing blocks). */
  frames: number;
  maxFrameGapMs: number;
  /** A setTimeout(0) chain: the longest gap between two ticks (~4 ms when idle; the main thread's blocked time). */
  timerTicks: number;
  maxTimerGapMs: number;
  /** Long tasks (> 50 ms) on the main thread, from the Long Tasks API. */
  longTasks: number;
  longestTaskMs: number;
}

/** Watches the main thread from now until the returned stop() is awaited. */
function watchMainThread(): () => Promise<Responsiveness> {
  const t0 = performance.now();
  let running = true;
  let frames = 0;
  let lastFrame = t0;
  let maxFrameGap = 0;
  let ticks = 0;
  let lastTick = t0;
  let maxTickGap = 0;
  const frame = (t: number) => {
    if (!running) return;
    frames++;
    maxFrameGap = Math.max(maxFrameGap, t - lastFrame);
    lastFrame = t;
    requestAnimationFrame(frame);
  };
  const tick = () => {
    if (!running) return;
    const t = performance.now();
    ticks++;
    maxTickGap = Math.max(maxTickGap, t - lastTick);
    lastTick = t;
    setTimeout(tick, 0);
  };
  requestAnimationFrame(frame);
  setTimeout(tick, 0);
  const tasks: PerformanceEntry[] = [];
  let observer: PerformanceObserver | null = null;
  try {
    observer = new PerformanceObserver((l) => tasks.push(...l.getEntries()));
    observer.observe({ type: 'longtask' });
  } catch {
    observer = null;
  }
  return async () => {
    const end = performance.now();
    // Let the last tick and frame land (a blocked thread shows as the gap up to them), then stop.
    await new Promise((r) => setTimeout(r, 50));
    running = false;
    if (observer) {
      tasks.push(...observer.takeRecords());
      observer.disconnect();
    }
    const inside = tasks.filter((t) => t.startTime < end && t.startTime + t.duration > t0);
    return {
      wallMs: end - t0,
      frames,
      maxFrameGapMs: maxFrameGap,
      timerTicks: ticks,
      maxTimerGapMs: maxTickGap,
      longTasks: inside.length,
      longestTaskMs: Math.max(0, ...inside.map((t) => t.duration)),
    };
  };
}

/** The main thread with nothing running: the noise floor of the figures above. */
export async function idle(ms: number): Promise<Responsiveness> {
  const stop = watchMainThread();
  await new Promise((r) => setTimeout(r, ms));
  return stop();
}

export interface AggregateRun {
  /** From the call to the answer on the main thread, as the Analytics view waits for it. */
  wallMs: number;
  /** In the worker: bringing its copy of the library up to date (nothing to do when nothing changed), then every chart. */
  loadMs: number;
  /** Of loadMs, reading IndexedDB (values and keys); the rest is the change check and flattening. */
  readMs: number;
  queryMs: number;
  /** cached / delta (only changed images read) / snapshot (a fresh worker from the persisted rows) / full (everything read). */
  how: LoadTimings['how'];
  changed: number;
  total: number;
  main: Responsiveness;
}

/** `runs` calls of the analytics worker's aggregate (every chart), one after another. */
export async function aggregate(filters: Filters, runs: number): Promise<AggregateRun[]> {
  const out: AggregateRun[] = [];
  for (let i = 0; i < runs; i++) {
    const stop = watchMainThread();
    const t0 = performance.now();
    const r = await analytics.aggregate(filters);
    const wallMs = performance.now() - t0;
    out.push({ wallMs, loadMs: r.loadMs, readMs: r.readMs, queryMs: r.queryMs, how: r.how, changed: r.changed, total: r.total, main: await stop() });
  }
  return out;
}

/** Deletes synthetic record i as the library's Remove does (image, thumbnail, results, embeddings, faces). */
export async function remove(i: number): Promise<void> {
  await deleteImage(syntheticId(i));
}

export interface ClusterRun {
  /** Reading the library as the app holds it (listLibrary), before clustering. */
  listMs: number;
  /** clusterLibrary as the Clusters view calls it: embeddings from IndexedDB, the worker, grouping. */
  wallMs: number;
  workerMs: number;
  timings: { chooseKMs: number; chooseKSilhouetteMs: number; kmeansMs: number; iterations: number; pcaMs: number };
  n: number;
  dim: number;
  k: number;
  auto: boolean;
  explained: [number, number];
  main: Responsiveness;
}

export async function cluster(k: number | null): Promise<ClusterRun> {
  let t0 = performance.now();
  const items = await listLibrary();
  const listMs = performance.now() - t0;
  const stop = watchMainThread();
  t0 = performance.now();
  const v = await clusterLibrary(items, k);
  const wallMs = performance.now() - t0;
  const main = await stop();
  if (!v) throw new Error('clusterLibrary found fewer than 3 embeddings');
  const dim = (await db.embeddings.limit(1).first())?.vector.length ?? 0;
  return { listMs, wallMs, workerMs: v.ms, timings: v.timings, n: v.ids.length, dim, k: v.k, auto: v.auto, explained: v.explained, main };
}

export interface RecommendRun {
  /** From the call to the answer on the main thread, as the For you view waits for it. */
  wallMs: number;
  /** In the worker: bringing its copy of the library and the embeddings up to date (readMs of it reading IndexedDB). */
  loadMs: number;
  readMs: number;
  how: LoadTimings['how'];
  /** Centring and normalising the candidates (only after the library changed), then scoring and picking. */
  prepareMs: number;
  computeMs: number;
  n: number;
  returned: number;
  main: Responsiveness;
}

/** Profile signals as bench/analytics.ts (the Node baseline): of the records with embeddings, every 97th liked, every 89th from the end hidden. */
async function signalsFor(liked: number, hidden: number) {
  const ids = Array.from({ length: await db.embeddings.count() }, (_, i) => syntheticId(i));
  return {
    liked: Array.from({ length: liked }, (_, i) => ids[(i * 97) % ids.length]),
    hidden: Array.from({ length: hidden }, (_, i) => ids[ids.length - 1 - ((i * 89) % ids.length)]),
    seen: [] as string[],
  };
}

/** What the For you view does for a profile (recommendFor: the analytics worker), `runs` times; the first run after a change loads the embeddings. */
export async function recommendations(liked: number, hidden: number, runs: number): Promise<RecommendRun[]> {
  const signals = await signalsFor(liked, hidden);
  const out: RecommendRun[] = [];
  for (let i = 0; i < runs; i++) {
    // From the second run on, one more like each time, as after clicking Like.
    const s = i === 0 ? signals : { ...signals, liked: [...signals.liked, syntheticId(1000 + i)] };
    const stop = watchMainThread();
    const t0 = performance.now();
    const r = await analytics.recommend(s, 20);
    const wallMs = performance.now() - t0;
    out.push({
      wallMs,
      loadMs: r.loadMs,
      readMs: r.readMs,
      how: r.how,
      prepareMs: r.prepareMs,
      computeMs: r.computeMs,
      n: r.n,
      returned: r.recs.length,
      main: await stop(),
    });
  }
  return out;
}

export interface SimilarRun {
  wallMs: number;
  loadMs: number;
  prepareMs: number;
  computeMs: number;
  returned: number;
  main: Responsiveness;
}

/** What the detail view asks for an image (6 similar images, in the analytics worker), for `runs` different images. */
export async function similar(runs: number): Promise<SimilarRun[]> {
  const out: SimilarRun[] = [];
  for (let i = 0; i < runs; i++) {
    const stop = watchMainThread();
    const t0 = performance.now();
    const r = await analytics.similar(syntheticId(i * 131), 6);
    const wallMs = performance.now() - t0;
    out.push({ wallMs, loadMs: r.loadMs, prepareMs: r.prepareMs, computeMs: r.computeMs, returned: r.similar.length, main: await stop() });
  }
  return out;
}
