// Scale-out: two server processes on one PostgreSQL, as behind a load balancer. They start together (the
// migrations must not race), share setup, invites and tokens, and take interleaved pushes, some batches
// sent to both at once (a balancer retrying on the other instance), without loss or duplicates.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import type { Analytics, JoinResponse, PushResponse, SyncRecord } from '../../src/shared/sync.ts';
import { startSyncServer, type SyncServerProcess } from '../../scripts/lib/sync-server-process.ts';
import { loadMigrations } from '../../sync-server/src/db/migrate.ts';
import { freshPgDatabase, pgUrl, record } from './helpers.ts';
import { api, inviteViaHttp, pullAll, setupViaHttp } from './http.ts';

const DEVICES = 4;
const BATCHES = 10;
const BATCH = 20;

describe.skipIf(!pgUrl())('two server instances on one PostgreSQL', () => {
  it('interleaved and doubled pushes: every record stored once; tokens and revocations are shared', async () => {
    const env = { DATABASE_URL: await freshPgDatabase('scale'), RATE_LIMIT_MAX: '100000', PG_POOL_MAX: '4' };
    const servers: SyncServerProcess[] = await Promise.all([startSyncServer({ env }), startSyncServer({ env })]);
    const [a, b] = servers;
    try {
      // Both migrated the same database at once: one applied the migrations, the other waited for the lock.
      for (const s of servers) expect((await api<{ db: string }>(s.url, '/health')).body).toMatchObject({ db: 'postgres' });
      const client = new pg.Client({ connectionString: env.DATABASE_URL });
      await client.connect();
      const applied = (await client.query('SELECT name FROM schema_migrations ORDER BY version')).rows.map((r: { name: string }) => r.name);
      await client.end();
      expect(applied).toEqual(loadMigrations().map((m) => m.name));
      // A's setup code works on B: one database behind both.
      const admin = await setupViaHttp(b.url, a.setupCode!, 'Scaled');
      const devices: JoinResponse[] = [];
      for (let i = 0; i < DEVICES; i++) {
        const code = await inviteViaHttp(servers[i % 2].url, admin.token);
        const j = await api<JoinResponse>(servers[(i + 1) % 2].url, '/v1/join', { body: { inviteCode: code, name: `dev-${i}` } });
        expect(j.status).toBe(201);
        devices.push(j.body);
      }

      let accepted = 0;
      let answers = 0;
      const pushTo = async (s: SyncServerProcess, token: string, records: SyncRecord[]) => {
        const r = await api<PushResponse>(s.url, '/v1/records', { token, body: { protocol: 1, records } });
        expect(r.status).toBe(200);
        accepted += r.body.accepted;
        answers++;
      };
      await Promise.all(
        devices.map(async (d, i) => {
          for (let k = 0; k < BATCHES; k++) {
            const batch = Array.from({ length: BATCH }, () => record({ label: `dev-${i}`, imageId: randomUUID().replace(/-/g, '').padEnd(64, '0') }));
            const first = servers[(i + k) % 2];
            const other = servers[(i + k + 1) % 2];
            // Every third batch goes to both instances at once; the next batch repeats half of this one.
            if (k % 3 === 0) await Promise.all([pushTo(first, d.token, batch), pushTo(other, d.token, batch)]);
            else await pushTo(first, d.token, batch);
            if (k % 2 === 1) await pushTo(other, d.token, batch.slice(0, BATCH / 2));
          }
        }),
      );
      const total = DEVICES * BATCHES * BATCH;
      expect(answers).toBeGreaterThan(DEVICES * BATCHES);
      expect(accepted).toBe(total);

      for (const s of servers) {
        const stats = await api<Analytics>(s.url, '/v1/analytics', { token: admin.token });
        expect(stats.body.totals.records).toBe(total);
        for (let i = 0; i < DEVICES; i++) expect(stats.body.members.find((m) => m.name === `dev-${i}`)?.records).toBe(BATCHES * BATCH);
      }
      const all = await pullAll(a.url, admin.token);
      expect(all).toHaveLength(total);
      expect(new Set(all.map((r) => r.record.id)).size).toBe(total);

      // Revoked on A, refused by B at once: no per-instance token cache.
      expect((await api(a.url, `/v1/devices/${devices[0].deviceId}`, { token: admin.token, method: 'DELETE' })).status).toBe(204);
      expect((await api(b.url, '/v1/me', { token: devices[0].token })).status).toBe(401);
      expect((await api(b.url, '/v1/me', { token: devices[1].token })).status).toBe(200);
    } finally {
      const codes = await Promise.all(servers.map((s) => s.stop()));
      expect(codes).toEqual([0, 0]);
    }
  }, 120_000);
});
