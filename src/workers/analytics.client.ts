import { transfer } from 'comlink';
import type { Aggregates, Filters } from '../shared/aggregate';
import type { AnalyticsApi, Clustering, LoadTimings, ProfileSignalsInput, RecommendationsResult, SimilarResult } from './api';
import { WorkerOwner } from './owner';

export class AnalyticsClient {
  readonly owner = new WorkerOwner<AnalyticsApi>({
    name: 'analytics',
    create: () => new Worker(new URL('./analytics.worker.ts', import.meta.url), { type: 'module', name: 'analytics' }),
    idleMs: 60_000,
    timeoutMs: 300_000,
  });

  /** Every chart at once; the timings say how the worker brought its copy of the library up to date (loadMs, readMs) and the charts (queryMs). */
  aggregate(filters: Filters): Promise<Aggregates & LoadTimings & { queryMs: number }> {
    return this.owner.call((api) => api.aggregate(filters));
  }

  cluster(vectors: Float32Array[], k: number | null, signal?: AbortSignal): Promise<Clustering> {
    const dim = vectors[0]?.length ?? 0;
    const flat = new Float32Array(vectors.length * dim);
    vectors.forEach((v, i) => flat.set(v, i * dim));
    return this.owner.call((api) => api.cluster(transfer(flat, [flat.buffer]), dim, k), signal);
  }

  /** Clusters of the stored embeddings, read in the worker (nothing big crosses to the page). */
  clusterLibrary(k: number | null, signal?: AbortSignal): Promise<(Clustering & LoadTimings & { ids: string[] }) | null> {
    return this.owner.call((api) => api.clusterLibrary(k), signal);
  }

  recommend(signals: ProfileSignalsInput, k = 20): Promise<RecommendationsResult> {
    return this.owner.call((api) => api.recommend(signals, k));
  }

  similar(imageId: string, k = 6): Promise<SimilarResult> {
    return this.owner.call((api) => api.similar(imageId, k));
  }

  /** Persists the worker's flat records now when a write is due (before stopping it on purpose). */
  flush(): Promise<void> {
    return this.owner.running ? this.owner.call((api) => api.flush()) : Promise.resolve();
  }
}
