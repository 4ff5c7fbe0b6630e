// The app's sync client (src/sync) against the real server on a loopback port: record contents, outbox,
// retry with backoff, reloads, refused records, revoked tokens, leaving.
import { storedImage, testClient, until } from './client-helpers.ts';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../sync-server/src/app.ts';
import type { Database } from '../../sync-server/src/db/driver.ts';
import type { JoinResponse, PullResponse, SyncRecord } from '../../src/shared/sync.ts';
import { buildSyncRecord } from '../../src/sync/record.ts';
import { OutboxStore } from '../../src/db/outbox.ts';
import { bearer, inviteCode, makeApp, makeDb, setupTeam } from './helpers.ts';

let db: Database;
let app: App;
let url: string;
let admin: JoinResponse;

beforeAll(async () => {
  db = await makeDb('pglite');
  app = await makeApp(db);
  await app.listen({ port: 0, host: '127.0.0.1' });
  url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  admin = await setupTeam(app, db);
}, 60_000);
afterAll(async () => {
  await app?.close();
  await db?.close();
});

async function teamRecords(): Promise<SyncRecord[]> {
  const res = await app.inject({ method: 'GET', url: '/v1/records?limit=1000', headers: bearer(admin.token) });
  return res.json<PullResponse>().records.map((r) => r.record);
}

describe('what a record contains', () => {
  const { image, results } = storedImage('golden retriever', { exif: { make: 'Canon', model: 'EOS', takenAt: Date.UTC(2024, 0, 2), lat: 48.1, lon: 11.5 } });
  const detect = {
    stage: 'detect',
    modelId: 'yolov8n',
    modelVersion: '1',
    createdAt: Date.now(),
    objects: [0.9, 0.8, 0.7].map((score) => ({ label: 'dog', score })),
  };
  const faces = {
    stage: 'faces',
    modelId: 'faces',
    modelVersion: '1',
    createdAt: Date.now(),
    faces: [{ name: 'Zoe', descriptor: new Float32Array(128).fill(0.5) }],
  };

  it('results and metadata only: top-5 labels, object counts, names; no file name, EXIF or descriptors unless allowed', () => {
    const r = buildSyncRecord(image, [...results, detect, faces], { shareFileNames: false, exifFields: [], shareFaceDescriptors: false })!;
    expect(r.classification!.labels).toHaveLength(5);
    expect(r.classification!.labels[0]).toEqual({ label: 'golden retriever', prob: 0.6 });
    expect(r.detection!.objects).toEqual([{ label: 'dog', count: 3, maxScore: 0.9 }]);
    expect(r.faces).toEqual([{ name: 'Zoe' }]);
    expect(r.name).toBeUndefined();
    expect(r.exif).toBeUndefined();
    expect(Object.keys(r).sort()).toEqual(
      ['analysedAt', 'bytes', 'classification', 'detection', 'faces', 'format', 'height', 'id', 'imageId', 'source', 'width'].sort(),
    );
  });

  it('file name, the allowed EXIF fields and descriptors when the member and the team allow them', () => {
    const r = buildSyncRecord(image, [...results, faces], { shareFileNames: true, exifFields: ['takenAt'], shareFaceDescriptors: true })!;
    expect(r.name).toBe(image.name);
    expect(r.exif).toEqual({ takenAt: Date.UTC(2024, 0, 2) });
    expect(r.faces![0].descriptor).toHaveLength(128);
    // EXIF as the ingest reads it (text date, gps object), on a result
    const raw = { ...results[0], exif: { make: 'Nikon', dateTaken: '2023-05-06T07:08:09Z', gps: { latitude: 1.5, longitude: 2.5 } } };
    const r2 = buildSyncRecord({ ...image, exif: undefined }, [raw], { shareFileNames: false, exifFields: ['camera', 'gps'], shareFaceDescriptors: false })!;
    expect(r2.exif).toEqual({ make: 'Nikon', lat: 1.5, lon: 2.5 });
  });

  it('nothing to share gives no record', () => {
    expect(buildSyncRecord(image, [], { shareFileNames: true, exifFields: [], shareFaceDescriptors: false })).toBeNull();
  });
});

describe('sync client', () => {
  it('is a no-op outside a team; after joining it pushes in the background and keeps the status', async () => {
    const { client } = testClient();
    await client.start();
    expect(await client.enqueue(storedImage().image, storedImage().results)).toBe(false);
    await client.join(url, await inviteCode(app, admin.token), 'Nina');
    expect(client.status().account).toMatchObject({ member: { name: 'Nina', role: 'member' }, team: { name: 'Acme' } });
    expect(JSON.stringify(client.status())).not.toContain('sld_');
    const before = (await teamRecords()).length;
    for (let i = 0; i < 7; i++) {
      const s = storedImage('nina-label');
      expect(await client.enqueue(s.image, s.results)).toBe(true);
    }
    await until('the outbox to drain', () => client.status().pending === 0 && !client.status().syncing);
    expect((await teamRecords()).length).toBe(before + 7);
    expect(client.status().lastSyncAt).toBeGreaterThan(Date.now() - 10_000);
    expect(client.status().lastError).toBeNull();
    await client.stop();
  });

  it('offline: keeps the records, shows the error, retries with backoff, survives a reload, then sends each once', async () => {
    const name = 'reload-test';
    const first = testClient({ storeName: name });
    await first.client.join(url, await inviteCode(app, admin.token), 'Otto');
    first.wire.offline = true;
    for (let i = 0; i < 5; i++) {
      const s = storedImage('otto-label');
      await first.client.enqueue(s.image, s.results);
    }
    await until('a failed push', () => first.wire.failures >= 2);
    const s = first.client.status();
    expect(s.pending).toBe(5);
    expect(s.lastError).toMatch(/cannot reach/);
    expect(s.nextRetryAt).toBeGreaterThan(Date.now() - 1000);
    await first.client.stop();

    // "Reload": a new client on the same IndexedDB database, back online.
    const second = testClient({ storeName: name });
    await second.client.start();
    expect(second.client.status().pending).toBe(5);
    await until('the outbox to drain after the reload', () => second.client.status().pending === 0);
    const mine = (await teamRecords()).filter((r) => r.classification?.labels[0].label === 'otto-label');
    expect(mine).toHaveLength(5);
    expect(new Set(mine.map((r) => r.id))).toEqual(new Set([...first.wire.sent]));
    await second.client.stop();
  });

  it('a record the server refuses is isolated by halving the batch and dropped alone', async () => {
    const { client, store } = testClient();
    await client.join(url, await inviteCode(app, admin.token), 'Pia');
    await client.stop();
    const good = Array.from({ length: 6 }, () => storedImage('pia-label'));
    const rows = good.map((g, i) => ({
      id: `ok-${i}`,
      enqueuedAt: i,
      record: buildSyncRecord(g.image, g.results, { shareFileNames: false, exifFields: [], shareFaceDescriptors: false })!,
    }));
    rows.splice(3, 0, { id: 'bad', enqueuedAt: 2.5, record: { ...rows[0].record, id: 'not-a-uuid' } });
    await store.add(rows);
    const again = testClient({ store });
    await again.client.syncNow();
    expect(again.client.status()).toMatchObject({ pending: 0, rejected: 1 });
    expect(again.client.status().lastError).toBeNull(); // later pushes succeeded
    expect((await teamRecords()).filter((r) => r.classification?.labels[0].label === 'pia-label')).toHaveLength(6);
    await again.client.stop();
  });

  it('a revoked token stops pushing and keeps the records; leaving forgets account and outbox', async () => {
    const { client } = testClient();
    await client.join(url, await inviteCode(app, admin.token), 'Quinn');
    const deviceId = client.status().account!.deviceId;
    expect((await app.inject({ method: 'DELETE', url: `/v1/devices/${deviceId}`, headers: bearer(admin.token) })).statusCode).toBe(204);
    const s = storedImage();
    await client.enqueue(s.image, s.results);
    await client.syncNow();
    expect(client.status().pending).toBe(1);
    expect(client.status().lastError).toMatch(/revoked/);
    await client.leave();
    expect(client.status()).toMatchObject({ account: null, pending: 0 });
    expect(await client.enqueue(s.image, s.results)).toBe(false);
    await client.stop();
  });

  it('leaving revokes the token on the server', async () => {
    const { client } = testClient();
    await client.join(url, await inviteCode(app, admin.token), 'Ray');
    const deviceId = client.status().account!.deviceId;
    await client.leave();
    const devices = (await app.inject({ method: 'GET', url: '/v1/devices', headers: bearer(admin.token) })).json<{ id: string; revoked: boolean }[]>();
    expect(devices.find((d) => d.id === deviceId)?.revoked).toBe(true);
    await client.stop();
  });

  it('the outbox store keeps insertion order', async () => {
    const store = new OutboxStore(`order-${Date.now()}`);
    const s = storedImage();
    const rec = buildSyncRecord(s.image, s.results, { shareFileNames: false, exifFields: [], shareFaceDescriptors: false })!;
    await store.add([3, 1, 2].map((t) => ({ id: `r${t}`, enqueuedAt: t, record: rec })));
    expect((await store.peek(2)).map((r) => r.id)).toEqual(['r1', 'r2']);
    store.close();
  });
});
