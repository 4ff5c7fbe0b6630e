/// <reference lib="webworker" />
// Analytics family worker: clustering and projection of embeddings, off the main thread.
import { expose } from 'comlink';
import { db } from '../db/schema';
import { chooseK, kmeans, pca2 } from '../ml/analytics/vectors';
import { aggregate, toRecord, type AnalyticsRecord } from '../shared/aggregate';
import type { ClassificationResult, DetectionResult } from '../shared/types';
import type { AnalyticsApi } from './api';

// Flat records are built once and kept until the library changes (cheap check: counts and newest time).
let cache: { key: string; records: AnalyticsRecord[] } | null = null;

async function records(): Promise<{ records: AnalyticsRecord[]; loadMs: number }> {
  const t0 = performance.now();
  const [n, r, newest, profiles] = await Promise.all([db.images.count(), db.results.count(), db.images.orderBy('addedAt').last(), db.profiles.toArray()]);
  // Profile names are part of the key: "imported by <name>" follows a rename.
  const key = `${n}/${r}/${newest?.addedAt ?? 0}/${JSON.stringify(profiles.map((p) => [p.id, p.name]))}`;
  if (cache?.key !== key) {
    const [images, results] = await Promise.all([db.images.toArray(), db.results.toArray()]);
    const cls = new Map<string, ClassificationResult>();
    const det = new Map<string, DetectionResult>();
    for (const x of results) {
      const m = x.stage === 'classify' ? cls : det;
      const prev = m.get(x.imageId);
      if (!prev || x.createdAt > prev.createdAt) m.set(x.imageId, x as never);
    }
    const names = new Map(profiles.map((p) => [p.id, p.name]));
    cache = { key, records: images.map((im) => toRecord(im, cls.get(im.id), det.get(im.id), names)) };
  }
  return { records: cache.records, loadMs: performance.now() - t0 };
}

const split = (flat: Float32Array, dim: number) => Array.from({ length: flat.length / dim }, (_, i) => flat.subarray(i * dim, (i + 1) * dim));

const api: AnalyticsApi = {
  async aggregate(filters) {
    const { records: rs, loadMs } = await records();
    const t0 = performance.now();
    const result = aggregate(rs, filters);
    return { ...result, loadMs, queryMs: performance.now() - t0 };
  },

  async cluster(flat, dim, k) {
    const data = split(flat, dim);
    const t0 = performance.now();
    const chosen = k ?? chooseK(data, 8).k;
    const r = kmeans(data, chosen, 1);
    const projection = pca2(data);
    return { k: r.k, assign: Array.from(r.assign), points: projection.points, explained: projection.explained, ms: performance.now() - t0, auto: k === null };
  },
};

expose(api);
