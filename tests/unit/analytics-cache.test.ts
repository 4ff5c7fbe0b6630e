// The analytics worker's incremental copy of the library (src/db/analytics-cache.ts) against IndexedDB
// (fake-indexeddb) and the app's real writers: after every kind of change its rows, charts and recommendation
// candidates must equal what a fresh read of the whole library gives.
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { AnalyticsCache, invalidateAnalytics } from '../../src/db/analytics-cache';
import { putFacesResults } from '../../src/db/faces';
import { clearLibrary, deleteImage, listLibrary } from '../../src/db/queries';
import { db } from '../../src/db/schema';
import { aggregate, toRecord, type AnalyticsRecord, type Filters } from '../../src/shared/aggregate';
import { decodeRows, encodeRows } from '../../src/shared/analytics-snapshot';
import { SYNTHETIC_CLASSIFIER, SYNTHETIC_PROFILES, syntheticEmbeddings, syntheticId, syntheticRecords } from '../../bench/synthetic';
import type { ClassificationResult, FacesResult } from '../../src/shared/types';

const FILTERS: Filters[] = [{}, { tag: 'safe', from: '2015-01', to: '2020-12' }, { person: 'Ann' }, { source: 'url' }];
const fields = (r: AnalyticsRecord): AnalyticsRecord => ({
  id: r.id,
  addedAt: r.addedAt,
  month: r.month,
  tag: r.tag,
  label: r.label,
  objects: r.objects,
  people: r.people,
  camera: r.camera,
  lens: r.lens,
  creator: r.creator,
  source: r.source,
  megapixels: r.megapixels,
  colour: r.colour,
});

/** The brute-force truth: the whole library read again, as the worker did before it kept a copy. */
async function truth() {
  const [items, profiles, embeddings] = await Promise.all([listLibrary(), db.profiles.toArray(), db.embeddings.toArray()]);
  const names = new Map(profiles.map((p) => [p.id, p.name]));
  const records = items.map((i) => toRecord(i.image, i.result, i.detection, names, i.faces));
  const vectors = new Map(embeddings.map((e) => [e.imageId, e.vector]));
  const candidates = items
    .filter((i) => !i.image.metadataOnly)
    .map((i) => ({
      id: i.image.id,
      name: i.image.name,
      vector: vectors.get(i.image.id) ?? null,
      labels: i.result?.labels.map((l) => l.label) ?? [],
      tag: i.result?.tag.tag,
    }));
  return { records, candidates };
}

async function expectSame(cache: AnalyticsCache, withVectors = false) {
  const info = await cache.sync(withVectors);
  const t = await truth();
  const byId = (a: AnalyticsRecord, b: AnalyticsRecord) => (a.id < b.id ? -1 : 1);
  expect(cache.records.map(fields).sort(byId)).toEqual(t.records.map(fields).sort(byId));
  for (const f of FILTERS) expect(aggregate([...cache.records], f, 1000)).toEqual(aggregate(t.records, f, 1000));
  if (withVectors) expect(cache.candidates()).toEqual(t.candidates);
  return info;
}

async function seed(from: number, to: number, withEmbeddings = false) {
  const { images, results } = syntheticRecords(from, to - from);
  await db.transaction('rw', [db.images, db.results, db.embeddings], async () => {
    await db.images.bulkPut(images);
    await db.results.bulkPut(results);
    if (withEmbeddings)
      await db.embeddings.bulkPut(
        syntheticEmbeddings(from, to - from, 42, 16).map((vector, j) => ({ imageId: syntheticId(from + j), modelId: SYNTHETIC_CLASSIFIER, vector })),
      );
  });
}

const faces = (i: number, names: (string | null)[], createdAt: number): FacesResult => ({
  imageId: syntheticId(i),
  stage: 'faces',
  stageVersion: 1,
  modelId: 'human',
  modelVersion: '3.3.6',
  faces: names.map((name) => ({ box: [0, 0, 10, 10], score: 0.9, name })),
  backend: 'wasm',
  inferenceMs: 1,
  createdAt,
});

beforeEach(async () => {
  await db.delete();
  await db.open();
  await db.profiles.bulkPut(SYNTHETIC_PROFILES.map((p) => ({ id: p.profileId, name: p.name, createdAt: 0 })));
  await seed(0, 400, true);
  await db.results.bulkPut([
    faces(3, ['Ann', null], Date.UTC(2026, 0, 1)),
    faces(7, ['Ann', 'Bo'], Date.UTC(2026, 0, 1)),
    faces(9, ['Bo'], Date.UTC(2026, 0, 1)),
  ]);
});

describe('analytics cache: incremental rows equal a full read', () => {
  it('first read, then nothing changed, then a batch of new images, a deleted image, a renamed person and profile', async () => {
    const cache = new AnalyticsCache(db, { saveDelayMs: 0, persist: false });
    expect((await expectSame(cache, true)).how).toBe('full');
    expect((await cache.sync()).how).toBe('cached');

    // A batch adds 50 images (newer addedAt/createdAt): only those (and the last minute's) are read.
    await seed(400, 450, true);
    const added = await expectSame(cache, true);
    expect(added.how).toBe('delta');
    expect(added.changed).toBeLessThan(120);
    expect(cache.records).toHaveLength(450);

    // Deleting an image: the totals no longer add up, the primary keys say which one went.
    await deleteImage(syntheticId(5));
    const deleted = await expectSame(cache, true);
    expect(deleted.how).toBe('delta');
    expect(cache.row(syntheticId(5))).toBeUndefined();
    expect(cache.candidates().some((c) => c.id === syntheticId(5))).toBe(false);

    // Deleted (logged) and added again before the next query: it is back.
    await deleteImage(syntheticId(6));
    const again = syntheticRecords(6, 1);
    await db.images.put({ ...again.images[0], addedAt: Date.now() });
    await db.results.bulkPut(again.results.map((r) => ({ ...r, createdAt: Date.now() })));
    await expectSame(cache, true);
    expect(cache.row(syntheticId(6))).toBeDefined();

    // The People view renames Ann to Anna: it rewrites the faces results (new createdAt); the people chart follows.
    const rows = (await db.results.where('stage').equals('faces').toArray()) as FacesResult[];
    await putFacesResults(rows.map((r) => ({ ...r, faces: r.faces.map((f) => ({ ...f, name: f.name === 'Ann' ? 'Anna' : f.name })) })));
    expect((await expectSame(cache)).how).toBe('delta');
    expect(new Map(cache.aggregate({}).people)).toEqual(
      new Map([
        ['Anna', 2],
        ['Bo', 2],
      ]),
    );

    // A profile rename: "imported by <name>" follows without reading any image again.
    await db.profiles.update(SYNTHETIC_PROFILES[0].profileId, { name: 'Alicia' });
    const renamed = await expectSame(cache);
    expect(renamed.how).toBe('cached');
    expect(cache.aggregate({}).creators.some(([c]) => c === 'imported by Alicia')).toBe(true);
  });

  it('writes with old timestamps and deletions behind its back are caught by the totals', async () => {
    const cache = new AnalyticsCache(db, { saveDelayMs: 0, persist: false });
    await expectSame(cache, true);
    // A result for another model with an old createdAt (as a restored backup's), then a result row deleted alone. (Both
    // at once would leave the totals unchanged: writers that rewrite with old timestamps call invalidateAnalytics.)
    const old = (await db.results.get([syntheticId(10), 'classify', SYNTHETIC_CLASSIFIER])) as ClassificationResult;
    await db.results.put({
      ...old,
      modelId: 'zz-other',
      createdAt: 1,
      labels: [{ index: 1, label: 'zebra', prob: 0.9 }, ...old.labels.slice(1)],
    });
    await expectSame(cache, true);
    await db.results.delete([syntheticId(11), 'detect', 'yolov8n-int8-640']);
    await expectSame(cache, true);
    // Images with old addedAt (restored) appear; an embedding deleted alone goes.
    const { images, results } = syntheticRecords(1000, 3);
    await db.images.bulkPut(images.map((im) => ({ ...im, addedAt: 5 })));
    await db.results.bulkPut(results.map((r) => ({ ...r, createdAt: 5 })));
    await db.embeddings.delete([syntheticId(12), SYNTHETIC_CLASSIFIER]);
    await expectSame(cache, true);
    expect(cache.records).toHaveLength(403);
    // Clearing the library.
    await clearLibrary();
    await expectSame(cache, true);
    expect(cache.records).toHaveLength(0);
  });

  it('a fresh cache starts from the persisted snapshot and reads only what changed since', async () => {
    const first = new AnalyticsCache(db, { saveDelayMs: 0, persist: true });
    await expectSame(first);
    await first.flush();
    await seed(400, 420);
    await deleteImage(syntheticId(1));
    const second = new AnalyticsCache(db, { saveDelayMs: 0, persist: true });
    const info = await expectSame(second, true);
    expect(info.how).toBe('snapshot');
    expect(info.changed).toBeLessThan(100);
    expect(second.records).toHaveLength(419);

    // Restoring a backup rewrites records in place (same keys, old timestamps) and bumps the epoch: everything is read again.
    await db.transaction('rw', [db.images, db.analyticsCache], async () => {
      await invalidateAnalytics(db);
      const im = (await db.images.get(syntheticId(20)))!;
      await db.images.put({ ...im, exif: { raw: {}, ...im.exif, artist: 'Restored Artist' } });
    });
    // A fresh cache finds no snapshot of this epoch; a running one drops its rows.
    const third = new AnalyticsCache(db, { saveDelayMs: 0, persist: true });
    expect((await expectSame(third)).how).toBe('full');
    // (from the snapshot the third one may have written by now, never from its own old rows)
    expect(['full', 'snapshot']).toContain((await expectSame(second)).how);
    expect(second.aggregate({}).creators.some(([c]) => c === 'Restored Artist')).toBe(true);
  });

  it('the snapshot encoding round-trips every field', async () => {
    const cache = new AnalyticsCache(db, { saveDelayMs: 0, persist: false });
    await cache.sync();
    const rows = [...cache.records];
    expect(decodeRows(encodeRows(rows))).toEqual(rows);
    expect(decodeRows(encodeRows([]))).toEqual([]);
  });
});
