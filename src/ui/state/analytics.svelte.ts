import { analytics } from '../../pipeline/clusters';
import type { Aggregates, Filters } from '../../shared/aggregate';
import { library, type PickField } from './library.svelte';

export class AnalyticsState {
  filters = $state<Filters>({});
  /** `how`: how the worker brought its copy of the library up to date first (cached, delta, snapshot, full). */
  data = $state.raw<(Aggregates & { loadMs: number; queryMs: number; how: string }) | null>(null);
  busy = $state(false);
  error = $state<string | null>(null);
  private seq = 0;

  /** Runs in the analytics worker; a newer request wins over a slower older one. */
  async refresh(): Promise<void> {
    const n = ++this.seq;
    this.busy = true;
    try {
      const d = await analytics.aggregate($state.snapshot(this.filters));
      if (n === this.seq) [this.data, this.error] = [d, null];
    } catch (e) {
      if (n === this.seq) this.error = (e as Error).message;
    } finally {
      if (n === this.seq) this.busy = false;
    }
  }

  /** A bar was clicked: show those images in the library. */
  open(field: PickField, value: string): void {
    library.pick = { field, value };
    location.hash = '#library';
  }
}

export const analyticsState = new AnalyticsState();
