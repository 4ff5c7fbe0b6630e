// Graceful shutdown: close() lets in-flight requests finish while refusing new ones; SIGTERM on the real
// process finishes a push that is under way, exits 0 and leaves the data intact.
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../sync-server/src/app.ts';
import { openDatabase } from '../../sync-server/src/db/driver.ts';
import type { Analytics, PushResponse } from '../../src/shared/sync.ts';
import { startSyncServer } from '../../scripts/lib/sync-server-process.ts';
import { record } from './helpers.ts';
import { api, setupViaHttp } from './http.ts';

describe('graceful shutdown', () => {
  it('close() finishes the request in flight, refuses new ones and does not wait for idle keep-alive sockets', async () => {
    const db = await openDatabase({});
    const app = await buildApp({ db, rateLimit: false });
    let started!: () => void;
    const inHandler = new Promise<void>((r) => (started = r));
    app.get('/slow', async () => {
      started();
      await new Promise((r) => setTimeout(r, 500));
      return { done: true };
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    try {
      const slow = fetch(`${url}/slow`).then(async (r) => ({ status: r.status, body: await r.json() }));
      await inHandler;
      const closing = app.close();
      const late = await fetch(`${url}/health`).then(
        (r) => r.status,
        () => 'refused',
      );
      expect([503, 'refused']).toContain(late);
      expect(await slow).toEqual({ status: 200, body: { done: true } });
      // The client's keep-alive socket does not hold close() open.
      const t = Date.now();
      await closing;
      expect(Date.now() - t).toBeLessThan(3000);
    } finally {
      await db.close();
    }
  });

  it('SIGTERM during a push: the push completes, the process exits 0, the records are there after a restart', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'sightline-term-'));
    const env = { DATA_DIR: dataDir, LOG_LEVEL: 'info', RATE_LIMIT_MAX: '1000' };
    let server = await startSyncServer({ env });
    try {
      const admin = await setupViaHttp(server.url, server.setupCode!);
      const records = Array.from({ length: 500 }, () => record());
      const pushing = api<PushResponse>(server.url, '/v1/records', { token: admin.token, body: { protocol: 1, records } });
      // Signal as soon as the server has the request.
      for (let i = 0; i < 400 && !/"url":"\/v1\/records"/.test(server.output()); i++) await new Promise((r) => setTimeout(r, 5));
      const exit = server.stop();
      expect(await pushing).toEqual({ status: 200, body: { protocol: 1, accepted: 500, duplicates: 0 } });
      expect(await exit).toBe(0);
      expect(server.output()).toMatch(/shutdown complete/);

      server = await startSyncServer({ env });
      const stats = await api<Analytics>(server.url, '/v1/analytics', { token: admin.token });
      expect(stats.body.totals.records).toBe(500);
    } finally {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
