import type { BatchItem, BatchProgress, BatchSummary } from '../../pipeline/runner';
import type { FileError } from '../../shared/types';
import { engine, settings } from './engine';
import { library } from './library.svelte';

export class BatchState {
  progress = $state<BatchProgress | null>(null);
  errors = $state<FileError[]>([]);
  summary = $state<BatchSummary | null>(null);
  running = $state(false);
  /** Set when the whole batch could not run (e.g. the model is missing). */
  failure = $state<string | null>(null);
  private controller: AbortController | null = null;

  readonly status = $derived(this.running ? 'running' : this.failure ? 'failed' : this.summary ? (this.summary.cancelled ? 'cancelled' : 'done') : 'idle');

  async start(items: BatchItem[]): Promise<void> {
    if (this.running || !items.length) return;
    this.running = true;
    this.errors = [];
    this.summary = null;
    this.failure = null;
    this.progress = { total: items.length, done: 0, failed: 0, skipped: 0, current: null, startedAt: Date.now(), etaMs: null };
    this.controller = new AbortController();
    let lastRefresh = 0;
    try {
      const opts = {
        classifierId: settings.modelId === 'none' ? null : settings.modelId,
        detectorId: settings.detectorId,
        yolo: { scoreThreshold: settings.scoreThreshold, iouThreshold: settings.iouThreshold },
      };
      this.summary = await engine.run(items, opts, this.controller.signal, {
        onProgress: (p) => (this.progress = p),
        onError: (e) => (this.errors = [...this.errors, e]),
        onStored: () => {
          // Refresh the grid at most every 2 s during a batch: re-reading the library is not free.
          if (Date.now() - lastRefresh > 2000) {
            lastRefresh = Date.now();
            void library.refresh();
          }
        },
      });
    } catch (e) {
      this.failure = (e as Error).message;
    } finally {
      this.running = false;
      this.controller = null;
      await library.refresh();
    }
  }

  cancel(): void {
    this.controller?.abort();
  }
}

export const batch = new BatchState();
