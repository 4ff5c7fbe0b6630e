// Fault test: three devices (the app's real sync client) push continuously; the server process is SIGKILLed
// while pushes are in flight, restarted on the same port and data, and every record ends up stored exactly
// once after the clients retry. Once on the embedded database, once on PostgreSQL.
import { storedImage, testClient, until, type Wire } from './client-helpers.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Analytics } from '../../src/shared/sync.ts';
import type { SyncClient } from '../../src/sync/client.ts';
import { startSyncServer } from '../../scripts/lib/sync-server-process.ts';
import { freshPgDatabase, pgUrl, type DbKind } from './helpers.ts';
import { api, inviteViaHttp, pullAll, setupViaHttp } from './http.ts';

const DEVICES = 3;
const PER_DEVICE = 150;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function faultRun(kind: DbKind): Promise<void> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'sightline-fault-'));
  const env: Record<string, string> = { RATE_LIMIT_MAX: '100000' };
  if (kind === 'pglite') env.DATA_DIR = dataDir;
  else env.DATABASE_URL = await freshPgDatabase('fault');
  let server = await startSyncServer({ env });
  const clients: { client: SyncClient; wire: Wire }[] = [];
  try {
    const admin = await setupViaHttp(server.url, server.setupCode!, 'Fault');
    for (let i = 0; i < DEVICES; i++) {
      const c = testClient({ batchSize: 20, baseDelayMs: 100, maxDelayMs: 800 });
      await c.client.join(server.url, await inviteViaHttp(server.url, admin.token), `device-${i}`);
      clients.push(c);
    }
    // Records keep coming (as a batch import would) while the server dies and comes back.
    const feed = (async () => {
      for (let k = 0; k < PER_DEVICE; k += 5) {
        for (const { client } of clients) {
          for (let j = 0; j < 5; j++) {
            const s = storedImage(`label-${j}`);
            await client.enqueue(s.image, s.results);
          }
        }
        await sleep(10);
      }
    })();

    const wires = clients.map((c) => c.wire);
    await until('pushes in flight after some answered', () => wires.reduce((n, w) => n + w.pushes, 0) >= 6 && wires.some((w) => w.inflight > 0), 30_000);
    await server.kill();
    await until('a client to see the dead server', () => wires.some((w) => w.failures > 0), 10_000);
    await sleep(300);
    server = await startSyncServer({ env, port: server.port });
    expect(server.setupCode).toBeNull(); // the team survived

    await feed;
    await until('every outbox to drain', () => clients.every((c) => c.client.status().pending === 0 && !c.client.status().syncing), 60_000);

    const all = await pullAll(server.url, admin.token);
    const ids = all.map((r) => r.record.id);
    const sent = new Set(wires.flatMap((w) => [...w.sent]));
    expect(wires.reduce((n, w) => n + w.failures, 0)).toBeGreaterThan(0);
    expect(ids.length).toBe(DEVICES * PER_DEVICE); // zero lost, zero duplicated
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(ids)).toEqual(sent);
    const stats = await api<Analytics>(server.url, '/v1/analytics', { token: admin.token });
    expect(stats.body.totals.records).toBe(DEVICES * PER_DEVICE);
    for (let i = 0; i < DEVICES; i++) expect(stats.body.members.find((m) => m.name === `device-${i}`)?.records).toBe(PER_DEVICE);
  } finally {
    for (const c of clients) await c.client.stop();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

describe('SIGKILL mid-push, restart, clients retry', () => {
  it('embedded database: every record present exactly once', () => faultRun('pglite'), 120_000);
  it.skipIf(!pgUrl())('PostgreSQL: every record present exactly once', () => faultRun('postgres'), 120_000);
});
