// A full storage quota, recognised wherever it surfaces: library writes (src/db) and model downloads (src/pwa).

/** QuotaExceededError from IndexedDB (also wrapped by Dexie or an aborted transaction) or Cache Storage. */
export function isQuotaError(e: unknown): boolean {
  for (let x = e as { name?: string; message?: string; inner?: unknown } | undefined, i = 0; x && i < 4; x = x.inner as typeof x, i++) {
    if (x.name === 'QuotaExceededError') return true;
    if (typeof x.message === 'string' && /quota/i.test(x.message)) return true;
  }
  return false;
}
