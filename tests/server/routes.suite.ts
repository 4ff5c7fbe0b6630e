// The route suite, run through the built app (app.inject, no port) once per database kind:
// routes.pglite.test.ts (embedded) and routes.postgres.test.ts (a real PostgreSQL).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../sync-server/src/app.ts';
import type { Database } from '../../sync-server/src/db/driver.ts';
import type { Analytics, AuditEntry, DeviceInfo, JoinResponse, PullResponse } from '../../src/shared/sync.ts';
import { bearer, inviteCode, joinTeam, makeApp, makeDb, push, record, setupTeam, type DbKind } from './helpers.ts';

export function routeSuite(kind: DbKind): void {
  let db: Database;
  let app: App;
  let admin: JoinResponse;
  let member: JoinResponse;

  beforeAll(async () => {
    db = await makeDb(kind);
    app = await makeApp(db);
    admin = await setupTeam(app, db);
    member = await joinTeam(app, admin.token, 'Bob');
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  const get = (url: string, token?: string) => app.inject({ method: 'GET', url, headers: token ? bearer(token) : {} });

  describe('setup and auth', () => {
    it('the setup code worked once: a second setup is refused', async () => {
      expect(admin.member).toMatchObject({ name: 'Ann', role: 'admin', owner: true });
      expect(admin.token).toMatch(/^sld_[0-9a-f-]{36}\.[\w-]{43}$/);
      const again = await app.inject({ method: 'POST', url: '/v1/setup', payload: { setupCode: 'AAAAA-BBBBB-CCCCC-DDDDD', teamName: 'X', name: 'Y' } });
      expect(again.statusCode).toBe(409);
      expect(again.json().message).toMatch(/already set up/);
    });

    it('tokens are stored hashed, never in clear', async () => {
      const rows = await db.query<{ token_hash: string }>('SELECT token_hash FROM devices');
      const secret = admin.token.split('.')[1];
      expect(rows.every((r) => /^[0-9a-f]{64}$/.test(r.token_hash))).toBe(true);
      expect(JSON.stringify(rows)).not.toContain(secret);
    });

    it('no, malformed, wrong or unknown tokens get 401', async () => {
      const [id, secret] = admin.token.split('.');
      const bad = [undefined, 'nonsense', `${id}.${'A'.repeat(43)}`, `sld_00000000-0000-4000-8000-000000000000.${secret}`, admin.token.slice(0, -1)];
      for (const t of bad) {
        const r = await get('/v1/me', t);
        expect(r.statusCode, String(t)).toBe(401);
        expect(r.json().message).toMatch(/token/);
      }
      expect((await get('/v1/me', admin.token)).json()).toMatchObject({ team: { name: 'Acme' }, member: { name: 'Ann' } });
    });

    it('members cannot use admin routes', async () => {
      expect((await app.inject({ method: 'POST', url: '/v1/invites', headers: bearer(member.token), payload: {} })).statusCode).toBe(403);
      expect((await get('/v1/devices', member.token)).statusCode).toBe(403);
      expect((await get('/v1/audit', member.token)).statusCode).toBe(403);
      expect((await app.inject({ method: 'PATCH', url: '/v1/team', headers: bearer(member.token), payload: { shareFaceDescriptors: true } })).statusCode).toBe(
        403,
      );
      expect((await app.inject({ method: 'POST', url: '/v1/teams', headers: bearer(member.token), payload: { name: 'Mine' } })).statusCode).toBe(403);
    });

    it('invite codes are single-use by default, can be typed loosely, and revoked invites stop working', async () => {
      const code = await inviteCode(app, admin.token);
      const loose = code.toLowerCase().replace(/-/g, ' ');
      expect((await app.inject({ method: 'POST', url: '/v1/join', payload: { inviteCode: loose, name: 'Cy' } })).statusCode).toBe(201);
      const second = await app.inject({ method: 'POST', url: '/v1/join', payload: { inviteCode: code, name: 'Dee' } });
      expect(second.statusCode).toBe(403);
      expect(second.json().message).toMatch(/invite code not valid/);

      const res = await app.inject({ method: 'POST', url: '/v1/invites', headers: bearer(admin.token), payload: { role: 'admin', maxUses: 3 } });
      const inv = res.json<{ id: string; code: string; role: string; maxUses: number }>();
      expect(inv).toMatchObject({ role: 'admin', maxUses: 3 });
      expect((await app.inject({ method: 'DELETE', url: `/v1/invites/${inv.id}`, headers: bearer(admin.token) })).statusCode).toBe(204);
      expect((await app.inject({ method: 'POST', url: '/v1/join', payload: { inviteCode: inv.code, name: 'Eve' } })).statusCode).toBe(403);
    });

    it('an expired invite is refused', async () => {
      const code = await inviteCode(app, admin.token);
      await db.query("UPDATE invites SET expires_at = now() - interval '1 second' WHERE expires_at > now() AND uses = 0 AND revoked_at IS NULL");
      expect((await app.inject({ method: 'POST', url: '/v1/join', payload: { inviteCode: code, name: 'Late' } })).statusCode).toBe(403);
    });

    it('revoked tokens stop working at once; leaving revokes your own', async () => {
      const m = await joinTeam(app, admin.token, 'Temp');
      expect((await get('/v1/me', m.token)).statusCode).toBe(200);
      expect((await app.inject({ method: 'DELETE', url: `/v1/devices/${m.deviceId}`, headers: bearer(admin.token) })).statusCode).toBe(204);
      expect((await get('/v1/me', m.token)).statusCode).toBe(401);

      const n = await joinTeam(app, admin.token, 'Leaver');
      // a member may not revoke someone else's device
      expect((await app.inject({ method: 'DELETE', url: `/v1/devices/${admin.deviceId}`, headers: bearer(n.token) })).statusCode).toBe(403);
      expect((await app.inject({ method: 'POST', url: '/v1/leave', headers: bearer(n.token) })).statusCode).toBe(204);
      expect((await push(app, n.token, [record()])).statusCode).toBe(401);
      const devices = (await get('/v1/devices', admin.token)).json<DeviceInfo[]>();
      expect(devices.find((d) => d.id === n.deviceId)?.revoked).toBe(true);
    });
  });

  describe('team scoping', () => {
    let other: JoinResponse;
    beforeAll(async () => {
      const res = await app.inject({ method: 'POST', url: '/v1/teams', headers: bearer(admin.token), payload: { name: 'Other' } });
      expect(res.statusCode).toBe(201);
      const { adminInviteCode } = res.json<{ adminInviteCode: string }>();
      other = (await app.inject({ method: 'POST', url: '/v1/join', payload: { inviteCode: adminInviteCode, name: 'Olga' } })).json<JoinResponse>();
      expect(other.member.role).toBe('admin');
      expect(other.team.name).toBe('Other');
    });

    it("one team's records, devices, invites and audit are invisible to another", async () => {
      const shared = record({ label: 'secret-label' });
      expect((await push(app, member.token, [shared])).json()).toMatchObject({ accepted: 1 });
      // The same client id in another team is a different record, not a duplicate.
      expect(
        (await push(app, other.token, [{ ...shared, classification: { ...shared.classification!, labels: [{ label: 'other-label', prob: 1 }] } }])).json(),
      ).toMatchObject({
        accepted: 1,
        duplicates: 0,
      });

      const mine = (await get('/v1/analytics', other.token)).json<Analytics>();
      expect(mine.totals.records).toBe(1);
      expect(mine.labels.map((l) => l.key)).toEqual(['other-label']);
      expect(mine.members.map((m) => m.name)).toEqual(['Olga']);
      const theirs = (await get('/v1/analytics', admin.token)).json<Analytics>();
      expect(theirs.labels.map((l) => l.key)).not.toContain('other-label');

      const pulled = (await get('/v1/records?limit=1000', other.token)).json<PullResponse>();
      expect(pulled.records.map((r) => r.record.classification?.labels[0].label)).toEqual(['other-label']);
      expect((await get('/v1/devices', other.token)).json<DeviceInfo[]>().map((d) => d.memberName)).toEqual(['Olga']);
      expect((await get('/v1/invites', other.token)).json<unknown[]>()).toHaveLength(1); // its own admin invite only
      const audit = (await get('/v1/audit', other.token)).json<AuditEntry[]>();
      expect(audit.every((e) => e.memberId !== member.member.id)).toBe(true);
    });

    it("another team's device or invite cannot be revoked (404, not 403: no hint it exists)", async () => {
      expect((await app.inject({ method: 'DELETE', url: `/v1/devices/${member.deviceId}`, headers: bearer(other.token) })).statusCode).toBe(404);
      const inv = (await app.inject({ method: 'POST', url: '/v1/invites', headers: bearer(admin.token), payload: {} })).json<{ id: string }>();
      expect((await app.inject({ method: 'DELETE', url: `/v1/invites/${inv.id}`, headers: bearer(other.token) })).statusCode).toBe(404);
      expect((await get('/v1/me', member.token)).statusCode).toBe(200);
    });
  });

  describe('push: idempotent', () => {
    it('a retried batch stores nothing twice; concurrent copies of one batch store each record once', async () => {
      const batch = Array.from({ length: 40 }, (_, i) => record({ label: `idem-${i % 4}`, objects: [['cup', 2]], people: ['Zoe'] }));
      expect((await push(app, member.token, batch)).json()).toEqual({ protocol: 1, accepted: 40, duplicates: 0 });
      expect((await push(app, member.token, batch)).json()).toEqual({ protocol: 1, accepted: 0, duplicates: 40 });
      // overlapping batch, and a duplicate id inside one batch
      const more = [...batch.slice(30), record({ label: 'idem-new' }), record({ label: 'idem-new' })];
      more.push(more[more.length - 1]);
      expect((await push(app, member.token, more)).json()).toEqual({ protocol: 1, accepted: 2, duplicates: 11 });

      const burst = Array.from({ length: 25 }, () => record({ label: 'burst' }));
      const answers = await Promise.all(Array.from({ length: 6 }, () => push(app, member.token, burst)));
      expect(answers.every((a) => a.statusCode === 200)).toBe(true);
      expect(answers.reduce((n, a) => n + a.json<{ accepted: number }>().accepted, 0)).toBe(25);

      const rows = await db.query<{ n: number; d: number }>(
        "SELECT count(*)::int AS n, count(DISTINCT id)::int AS d FROM records WHERE top_label LIKE 'idem-%' OR top_label = 'burst'",
      );
      expect(rows[0]).toEqual({ n: 67, d: 67 });
      // child rows were written once per stored record
      const [cups] = await db.query<{ n: number }>(
        "SELECT sum(count)::int AS n FROM record_objects o JOIN records r ON r.id = o.record_id AND r.team_id = o.team_id WHERE r.top_label LIKE 'idem-%'",
      );
      expect(cups.n).toBe(80);
    });
  });

  describe('pull', () => {
    it('pages through every team record once, in order, across cursor digit boundaries', async () => {
      await push(
        app,
        member.token,
        Array.from({ length: 50 }, () => record({ label: 'page' })),
      );
      const all = (await get('/v1/records?limit=1000', admin.token)).json<PullResponse>().records;
      expect(all.length).toBeGreaterThan(100); // so the cursors cross 99 → 100
      const paged: string[] = [];
      let after: string | null = null;
      do {
        const page: PullResponse = (await get(`/v1/records?limit=7${after ? `&after=${after}` : ''}`, admin.token)).json<PullResponse>();
        paged.push(...page.records.map((r) => r.record.id));
        after = page.next;
      } while (after);
      expect(paged).toEqual(all.map((r) => r.record.id));
      expect(new Set(paged).size).toBe(paged.length);
    });
  });

  describe('validation and limits', () => {
    it('schema errors are 400 with a message naming the field', async () => {
      const missing = record() as Partial<ReturnType<typeof record>>;
      delete missing.imageId;
      const cases: [unknown, RegExp][] = [
        [{ protocol: 1, records: [missing] }, /records\/0.*imageId/],
        [{ protocol: 1, records: [{ ...record(), thumbnail: 'data:image/jpeg;base64,AAAA' }] }, /additional properties/],
        [{ protocol: 1, records: [{ ...record(), id: 'not-a-uuid' }] }, /records\/0\/id/],
        [{ protocol: 1, records: [{ ...record(), analysedAt: 1700000000 }] }, /analysedAt/],
        [{ protocol: 1, records: [] }, /records must NOT have fewer than 1 items/],
        [{ protocol: 1, records: Array.from({ length: 501 }, () => record()) }, /more than 500 items/],
        [{ records: [record()] }, /protocol/],
      ];
      for (const [payload, msg] of cases) {
        const r = await app.inject({ method: 'POST', url: '/v1/records', headers: bearer(member.token), payload: payload as object });
        expect(r.statusCode, JSON.stringify(payload).slice(0, 80)).toBe(400);
        expect(r.json()).toMatchObject({ statusCode: 400, error: 'Bad Request' });
        expect(r.json().message).toMatch(msg);
      }
      const notJson = await app.inject({
        method: 'POST',
        url: '/v1/records',
        headers: { ...bearer(member.token), 'content-type': 'application/json' },
        payload: '{"protocol":',
      });
      expect(notJson.statusCode).toBe(400);
      expect(notJson.json().message).toMatch(/not valid JSON/);
    });

    it('a newer protocol version is refused with a clear message', async () => {
      const r = await push(app, member.token, [record()], 2);
      expect(r.statusCode).toBe(400);
      expect(r.json()).toMatchObject({ code: 'PROTOCOL_MISMATCH' });
      expect(r.json().message).toMatch(/protocol version 2 is not supported/);
    });

    it('face descriptors are refused until an admin enables them', async () => {
      const withDescriptor = record({ faces: [{ name: 'Zoe', descriptor: [0.1, 0.2, 0.3] }] });
      const refused = await push(app, member.token, [withDescriptor]);
      expect(refused.statusCode).toBe(403);
      expect(refused.json().message).toMatch(/face descriptors/);
      expect(
        (await app.inject({ method: 'PATCH', url: '/v1/team', headers: bearer(admin.token), payload: { shareFaceDescriptors: true } })).json(),
      ).toMatchObject({
        shareFaceDescriptors: true,
      });
      expect((await push(app, member.token, [withDescriptor])).json()).toMatchObject({ accepted: 1 });
      await app.inject({ method: 'PATCH', url: '/v1/team', headers: bearer(admin.token), payload: { shareFaceDescriptors: false } });
    });

    it('a body over the limit is 413; too many requests are 429 with Retry-After; join attempts have a stricter limit', async () => {
      const small = await makeApp(db, { bodyLimit: 20_000, rateLimit: { max: 3, joinMax: 2, windowMs: 60_000 } });
      try {
        const big = await push(
          small,
          member.token,
          Array.from({ length: 60 }, () => record()),
        );
        expect(big.statusCode).toBe(413);
        expect(big.json().message).toMatch(/too large/);
        const codes: number[] = [];
        for (let i = 0; i < 4; i++) codes.push((await small.inject({ method: 'GET', url: '/v1/me', headers: bearer(member.token) })).statusCode);
        // (the 413 above never reached the limiter: the body is refused while it is read)
        expect(codes).toEqual([200, 200, 200, 429]);
        const limited = await small.inject({ method: 'GET', url: '/v1/me', headers: bearer(member.token) });
        expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
        // another device has its own budget
        expect((await small.inject({ method: 'GET', url: '/v1/me', headers: bearer(admin.token) })).statusCode).toBe(200);
        const joins: number[] = [];
        for (let i = 0; i < 3; i++)
          joins.push((await small.inject({ method: 'POST', url: '/v1/join', payload: { inviteCode: 'WRONG-CODE-0000', name: 'x' } })).statusCode);
        expect(joins).toEqual([403, 403, 429]);
        // health and metrics are never limited
        for (let i = 0; i < 5; i++) expect((await small.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
      } finally {
        await small.close();
      }
    });
  });

  describe('headers, CORS, health, metrics, audit', () => {
    it('API answers carry security headers', async () => {
      const r = await get('/v1/me', member.token);
      expect(r.headers).toMatchObject({
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'DENY',
        'referrer-policy': 'no-referrer',
        'cache-control': 'no-store',
        'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
      });
      expect(r.headers['x-request-id']).toMatch(/[0-9a-f-]{36}/);
    });

    it('CORS answers only the configured origins', async () => {
      const corsApp = await makeApp(db, { allowedOrigins: ['https://app.example.com'] });
      try {
        const pre = (origin: string) =>
          corsApp.inject({
            method: 'OPTIONS',
            url: '/v1/records',
            headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
          });
        const ok = await pre('https://app.example.com');
        expect(ok.headers['access-control-allow-origin']).toBe('https://app.example.com');
        expect(String(ok.headers['access-control-allow-headers'])).toMatch(/Authorization/);
        const evil = await pre('https://evil.example.net');
        expect(evil.headers['access-control-allow-origin']).toBeUndefined();
        const simple = await corsApp.inject({ method: 'GET', url: '/v1/me', headers: { origin: 'https://evil.example.net', ...bearer(member.token) } });
        expect(simple.headers['access-control-allow-origin']).toBeUndefined();
      } finally {
        await corsApp.close();
      }
    });

    it('/health and /metrics', async () => {
      expect((await get('/health')).json()).toEqual({ status: 'ok', db: kind, protocol: 1 });
      const m = await get('/metrics');
      expect(m.headers['content-type']).toMatch(/^text\/plain; version=0.0.4/);
      expect(m.body).toMatch(/sightline_sync_records_total\{result="accepted"\} [1-9]\d*/);
      expect(m.body).toMatch(/sightline_http_requests_total\{method="POST",route="\/v1\/records",status="200"\} \d+/);
      expect(m.body).toMatch(/sightline_http_request_duration_seconds_bucket\{method="GET",route="\/v1\/me",le="\+Inf"\} \d+/);
      expect(m.body).toContain('sightline_db_up 1');
      const locked = await makeApp(db, { metricsToken: 's3cret' });
      try {
        expect((await locked.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(401);
        expect((await locked.inject({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer s3cret' } })).statusCode).toBe(200);
      } finally {
        await locked.close();
      }
    });

    it('the audit log says who did what, when', async () => {
      const log = (await get('/v1/audit?limit=1000', admin.token)).json<AuditEntry[]>();
      const actions = new Set(log.map((e) => e.action));
      for (const a of ['server.setup', 'invite.create', 'invite.revoke', 'device.join', 'device.revoke', 'device.leave', 'team.update', 'records.push'])
        expect(actions, a).toContain(a);
      const joinBob = log.find((e) => e.action === 'device.join' && e.memberId === member.member.id)!;
      expect(joinBob.deviceId).toBe(member.deviceId);
      expect(Date.parse(joinBob.at)).toBeGreaterThan(Date.now() - 600_000);
      const pushes = log.filter((e) => e.action === 'records.push' && e.memberId === member.member.id);
      expect(pushes.some((e) => (e.detail as { accepted: number }).accepted === 40)).toBe(true);
    });

    it('unknown API routes are JSON 404s', async () => {
      const r = await get('/v1/nope');
      expect(r.statusCode).toBe(404);
      expect(r.json().message).toMatch(/no route GET \/v1\/nope/);
    });
  });
}
