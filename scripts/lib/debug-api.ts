// The Node side of the ?debug API (src/debug/api.ts), for the bench, scripts/batch.ts and the e2e tests: waits
// for the page to install it, then runs functions in the page with the typed API as their first argument.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { DebugApi, SentFile } from '../../src/debug/api.ts';

export type { DebugApi, SentFile };

export interface DebugApiHandle {
  /** Resolves once the page (opened with ?debug) has installed the API. */
  ready(timeout?: number): Promise<void>;
  /**
   * Runs `fn` in the page with the API as its first argument. `fn` is sent as source: it sees only its arguments,
   * and `arg` and the result cross as JSON-like values (Blobs and Files do not: make them in the page).
   */
  run<R, A = undefined>(fn: (api: DebugApi, arg: A) => R | Promise<R>, arg?: A): Promise<R>;
  /** Waits until `fn` (run in the page, as run() does) returns a truthy value. */
  waitFor(fn: (api: DebugApi) => unknown, options?: { timeout?: number; polling?: number | 'raf' }): Promise<void>;
}

export function debugApi(page: Page): DebugApiHandle {
  const ready = async (timeout = 30_000) => {
    await page.waitForFunction(() => globalThis.__sightline !== undefined, undefined, { timeout });
  };
  const handle = async () => {
    await ready();
    return page.evaluateHandle(() => globalThis.__sightline!);
  };
  return {
    ready,
    async waitFor(fn, options) {
      const api = await handle();
      try {
        await (await page.waitForFunction(fn, api, options)).dispose();
      } finally {
        await api.dispose();
      }
    },
    async run<R, A>(fn: (api: DebugApi, arg: A) => R | Promise<R>, arg?: A): Promise<R> {
      const api = await handle();
      try {
        // Playwright types the argument as Unboxed<A> (handles replaced by their values); ours is plain data.
        return await api.evaluate(fn as (api: DebugApi, arg: unknown) => R | Promise<R>, arg);
      } finally {
        await api.dispose();
      }
    },
  };
}

/** Local files to send into the page (the API's files() and writeFolder() take them); `names` default to the base names. */
export function filesForPage(files: string[], names: string[] = files.map((f) => path.basename(f))): SentFile[] {
  return files.map((f, i) => ({ name: names[i], b64: readFileSync(f).toString('base64') }));
}
