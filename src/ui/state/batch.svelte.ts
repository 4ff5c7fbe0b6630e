import type { BatchItem, BatchProgress, BatchSummary } from '../../pipeline/runner';
import type { FileError } from '../../shared/types';
import { engine, settings } from './engine';
import { library } from './library.svelte';

export class BatchState {
  progress = $state<BatchProgress | null>(null);
  errors = $state<FileError[]>([]);
  summary = $state<BatchSummary | null>(null);
  running = $state(false);
  private controller: AbortController | null = null;

  readonly status = $derived(this.running ? 'running' : this.summary ? (this.summary.cancelled ? 'cancelled' : 'done') : 'idle');

  async start(items: BatchItem[]): Promise<void> {
    if (this.running || !items.length) return;
    this.running = true;
    this.errors = [];
    this.summary = null;
    this.controller = new AbortController();
    let lastRefresh = 0;
    try {
      this.summary = await engine.run(items, settings.modelId, this.controller.signal, {
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
      this.errors = [...this.errors, { file: '(batch)', code: 'inference-failed', message: (e as Error).message }];
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
