/// <reference lib="webworker" />
// Analytics family worker: clustering and projection of embeddings, off the main thread.
import { expose } from 'comlink';
import { db } from '../db/schema';
import { chooseK, kmeans, pca2 } from '../ml/analytics/vectors';
import { aggregate, toRecord, type AnalyticsRecord } from '../shared/aggregate';
import type { ClassificationResult, DetectionResult, FacesResult } from '../shared/types';
import type { AnalyticsApi } from './api';

// Flat records are built once and kept until the library changes (cheap check: counts and newest time).
let cache: { key: string; records: AnalyticsRecord[] } | null = null;

/** loadMs: all of it (the change check, and after a change the IndexedDB read and flattening); readMs: the read alone. */
async function records(): Promise<{ records: AnalyticsRecord[]; loadMs: number; readMs: number }> {
  const t0 = performance.now();
  const [n, r, newest, newestResult, profiles] = await Promise.all([
    db.images.count(),
    db.results.count(),
    db.images.orderBy('addedAt').last(),
    db.results.orderBy('createdAt').last(),
    db.profiles.toArray(),
  ]);
  // Profile names are part of the key: "imported by <name>" follows a rename. The newest result's time catches
  // results rewritten in place (people's names brought up to date by the People view).
  const key = `${n}/${r}/${newest?.addedAt ?? 0}/${newestResult?.createdAt ?? 0}/${JSON.stringify(profiles.map((p) => [p.id, p.name]))}`;
  let readMs = 0;
  if (cache?.key !== key) {
    const t1 = performance.now();
    const [images, results] = await Promise.all([db.images.toArray(), db.results.toArray()]);
    readMs = performance.now() - t1;
    const cls = new Map<string, ClassificationResult>();
    const det = new Map<string, DetectionResult>();
    const fac = new Map<string, FacesResult>();
    for (const x of results) {
      const m = x.stage === 'classify' ? cls : x.stage === 'detect' ? det : fac;
      const prev = m.get(x.imageId);
      if (!prev || x.createdAt > prev.createdAt) m.set(x.imageId, x as never);
    }
    const names = new Map(profiles.map((p) => [p.id, p.name]));
    cache = { key, records: images.map((im) => toRecord(im, cls.get(im.id), det.get(im.id), names, fac.get(im.id))) };
  }
  return { records: cache.records, loadMs: performance.now() - t0, readMs };
}

const split = (flat: Float32Array, dim: number) => Array.from({ length: flat.length / dim }, (_, i) => flat.subarray(i * dim, (i + 1) * dim));

const api: AnalyticsApi = {
  async aggregate(filters) {
    const { records: rs, loadMs, readMs } = await records();
    const t0 = performance.now();
    const result = aggregate(rs, filters);
    return { ...result, loadMs, readMs, queryMs: performance.now() - t0 };
  },

  async cluster(flat, dim, k) {
    const data = split(flat, dim);
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
  },
};

expose(api);
