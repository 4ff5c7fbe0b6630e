// The app's real sync client in Node: IndexedDB from fake-indexeddb (import this module first), fetch
// recorded so tests can see what went over the wire and make the network fail on demand.
import 'fake-indexeddb/auto';
import { createHash, randomUUID } from 'node:crypto';
import { OutboxStore } from '../../src/db/outbox.ts';
import type { PushRequest } from '../../src/shared/sync.ts';
import { SyncClient, type SyncClientOptions } from '../../src/sync/client.ts';
import type { ImageLike, ResultLike } from '../../src/sync/record.ts';

export interface Wire {
  /** Every record id this client put in a push request (sent, not necessarily stored). */
  sent: Set<string>;
  pushes: number;
  /** Push requests that got no answer (server down or killed). */
  failures: number;
  /** Push requests sent and not yet answered. */
  inflight: number;
  /** When set, requests fail as if offline. */
  offline: boolean;
}

export function testClient(opts: SyncClientOptions & { storeName?: string } = {}): { client: SyncClient; wire: Wire; store: OutboxStore } {
  const store = opts.store ?? new OutboxStore(opts.storeName ?? `test-${randomUUID()}`);
  const wire: Wire = { sent: new Set(), pushes: 0, failures: 0, inflight: 0, offline: false };
  const recorded: typeof fetch = async (input, init) => {
    const url = String(input);
    const isPush = url.endsWith('/v1/records') && init?.method === 'POST';
    if (isPush) {
      wire.pushes++;
      wire.inflight++;
      for (const r of (JSON.parse(String(init!.body)) as PushRequest).records) wire.sent.add(r.id);
    }
    try {
      if (wire.offline) throw new TypeError('fetch failed (offline)');
      return await fetch(input, init);
    } catch (e) {
      if (isPush) wire.failures++;
      throw e;
    } finally {
      if (isPush) wire.inflight--;
    }
  };
  const client = new SyncClient({ baseDelayMs: 50, maxDelayMs: 500, debounceMs: 0, batchSize: 50, ...opts, store, fetch: opts.fetch ?? recorded });
  return { client, wire, store };
}

let n = 0;
/** A stored image and its classification, as the pipeline hands them to enqueueForSync. */
export function storedImage(label = 'tabby', extra: Partial<ImageLike> = {}): { image: ImageLike; results: ResultLike[] } {
  const i = n++;
  const id = createHash('sha256').update(`image-${i}-${randomUUID()}`).digest('hex');
  return {
    image: { id, name: `IMG_${i}.jpg`, bytes: 1000 + i, format: 'jpeg', width: 640, height: 480, source: { kind: 'file' }, ...extra },
    results: [
      {
        stage: 'classify',
        modelId: 'resnet50-keras-fp16w',
        modelVersion: '1',
        createdAt: Date.now(),
        labels: Array.from({ length: 20 }, (_, k) => ({ label: k === 0 ? label : `other-${k}`, prob: k === 0 ? 0.6 : 0.02 })),
        tag: { tag: 'safe', tags: [], rulesVersion: 2 },
      },
    ],
  };
}

export async function until(what: string, cond: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
