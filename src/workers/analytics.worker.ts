/// <reference lib="webworker" />
// Analytics family worker: clustering and projection of embeddings, off the main thread.
import { expose } from 'comlink';
import { chooseK, kmeans, pca2 } from '../ml/analytics/vectors';
import type { AnalyticsApi } from './api';

const split = (flat: Float32Array, dim: number) => Array.from({ length: flat.length / dim }, (_, i) => flat.subarray(i * dim, (i + 1) * dim));

const api: AnalyticsApi = {
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
