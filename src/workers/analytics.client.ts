import { transfer } from 'comlink';
import type { Aggregates, Filters } from '../shared/aggregate';
import type { AnalyticsApi, Clustering } from './api';
import { WorkerOwner } from './owner';

export class AnalyticsClient {
  readonly owner = new WorkerOwner<AnalyticsApi>({
    name: 'analytics',
    create: () => new Worker(new URL('./analytics.worker.ts', import.meta.url), { type: 'module', name: 'analytics' }),
    idleMs: 60_000,
    timeoutMs: 300_000,
  });

  /** loadMs: the worker's reading and flattening of the library (after it changed; readMs of it the IndexedDB read), queryMs: the charts. */
  aggregate(filters: Filters): Promise<Aggregates & { loadMs: number; readMs: number; queryMs: number }> {
    return this.owner.call((api) => api.aggregate(filters));
  }

  cluster(vectors: Float32Array[], k: number | null, signal?: AbortSignal): Promise<Clustering> {
    const dim = vectors[0]?.length ?? 0;
    const flat = new Float32Array(vectors.length * dim);
    vectors.forEach((v, i) => flat.set(v, i * dim));
    return this.owner.call((api) => api.cluster(transfer(flat, [flat.buffer]), dim, k), signal);
  }
}
