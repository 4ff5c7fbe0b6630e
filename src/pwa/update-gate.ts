// When an update may reload the page: never in the middle of a file. Either the running batch finishes
// first, or it is paused and the reload waits until it stands between two files (all before it is stored).
// Pure (no Svelte, no DOM): the batch is anything with these fields.

export interface BatchLike {
  readonly running: boolean;
  readonly paused: boolean;
  /** True while a paused batch waits between files. */
  readonly parked: boolean;
  pause(): void;
}

export type UpdateMode = 'after-batch' | 'pause-now';

export function until(cond: () => boolean, pollMs = 100, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (signal?.aborted) return reject(signal.reason ?? new Error('aborted'));
      if (cond()) return resolve();
      setTimeout(tick, pollMs);
    };
    tick();
  });
}

/** Resolves when reloading loses no stored or in-flight work: no batch, a finished batch, or one parked between files. */
export async function safeToReload(batch: BatchLike, mode: UpdateMode, pollMs = 100, signal?: AbortSignal): Promise<void> {
  if (!batch.running) return;
  if (mode === 'pause-now') {
    batch.pause();
    await until(() => !batch.running || batch.parked, pollMs, signal);
  } else {
    await until(() => !batch.running, pollMs, signal);
  }
}
