/// <reference lib="webworker" />
// Analytics family worker, off the main thread: the charts' counts, clustering and projection of embeddings,
// recommendations and similar images, all over one copy of the library kept up to date from IndexedDB.
import { expose } from 'comlink';
import { AnalyticsCache, type SyncInfo } from '../db/analytics-cache';
import { db } from '../db/schema';
import { mostSimilarPrepared, prepare, recommendPrepared, type Prepared } from '../ml/analytics/recommend';
import { chooseK, kmeans, pca2 } from '../ml/analytics/vectors';
import type { AnalyticsApi, Clustering } from './api';

const cache = new AnalyticsCache(db);

const split = (flat: Float32Array, dim: number) => Array.from({ length: flat.length / dim }, (_, i) => flat.subarray(i * dim, (i + 1) * dim));

function clusterVectors(data: Float32Array[], k: number | null): Clustering {
  const t0 = performance.now();
  const auto = k === null ? chooseK(data, 8) : null;
  const t1 = performance.now();
  const r = kmeans(data, auto?.k ?? k!, 1);
  const t2 = performance.now();
  const projection = pca2(data);
  const t3 = performance.now();
  const timings = {
    chooseKMs: t1 - t0,
    chooseKSilhouetteMs: auto?.scores.reduce((s, x) => s + x.silhouetteMs, 0) ?? 0,
    kmeansMs: t2 - t1,
    iterations: r.iterations,
    pcaMs: t3 - t2,
  };
  return { k: r.k, assign: Array.from(r.assign), points: projection.points, explained: projection.explained, ms: t3 - t0, auto: k === null, timings };
}

// Candidates for recommendations and similar images, centred and normalised once per change of the library.
let prepared: { version: string; map: Map<string, Prepared>; ms: number } | null = null;

function candidates(): Map<string, Prepared> {
  const version = `${cache.version}/${cache.vectorVersion}`;
  if (prepared?.version === version) return prepared.map;
  const t0 = performance.now();
  prepared = { version, map: prepare(cache.candidates()), ms: 0 };
  prepared.ms = performance.now() - t0;
  return prepared.map;
}

/** Prepares the candidates if the library changed; the time it took (0 when they were kept). */
function prepareTimed(): { map: Map<string, Prepared>; prepareMs: number } {
  const before = prepared;
  const map = candidates();
  return { map, prepareMs: prepared === before ? 0 : prepared!.ms };
}

const timings = (s: SyncInfo) => ({ how: s.how, changed: s.changed, loadMs: s.loadMs, readMs: s.readMs });

const api: AnalyticsApi = {
  async aggregate(filters) {
    const s = await cache.sync();
    const t0 = performance.now();
    const result = cache.aggregate(filters);
    return { ...result, ...timings(s), queryMs: performance.now() - t0 };
  },

  async cluster(flat, dim, k) {
    return clusterVectors(split(flat, dim), k);
  },

  async clusterLibrary(k) {
    const s = await cache.sync(true);
    // As the page did: every stored embedding of an image in the library, in key order [imageId+modelId], of the first one's model.
    const rows: { id: string; modelId: string; vector: Float32Array }[] = [];
    for (const id of [...cache.embeddings.keys()].filter((x) => cache.row(x)).sort())
      for (const e of cache.embeddings.get(id)!) rows.push({ id, modelId: e.modelId, vector: e.vector });
    const same = rows.filter((r) => r.modelId === rows[0]?.modelId);
    if (same.length < 3) return null;
    return {
      ...clusterVectors(
        same.map((r) => r.vector),
        k,
      ),
      ids: same.map((r) => r.id),
      ...timings(s),
    };
  },

  async recommend(signals, k) {
    const s = await cache.sync(true);
    const { map, prepareMs } = prepareTimed();
    const t0 = performance.now();
    const recs = recommendPrepared(map, signals, k);
    return { recs, n: map.size, prepareMs, computeMs: performance.now() - t0, ...timings(s) };
  },

  async similar(imageId, k) {
    const s = await cache.sync(true);
    const { map, prepareMs } = prepareTimed();
    const t0 = performance.now();
    const similar = mostSimilarPrepared(map, imageId, k);
    return { similar, prepareMs, computeMs: performance.now() - t0, ...timings(s) };
  },

  flush: () => cache.flush(),
};

expose(api);
