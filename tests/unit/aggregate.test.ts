import { describe, expect, it } from 'vitest';
import { aggregate, MP_BUCKETS, toRecord, type AnalyticsRecord, type Filters } from '../../src/shared/aggregate';
import { rng } from '../../src/ml/analytics/vectors';
import type { ImageRecord, ImageSource } from '../../src/shared/types';

function synthetic(n: number, seed = 1): AnalyticsRecord[] {
  const r = rng(seed);
  const pick = <T>(a: T[]) => a[Math.floor(r() * a.length)];
  return Array.from({ length: n }, (_, i) => ({
    id: String(i),
    addedAt: i,
    month: `202${Math.floor(r() * 5)}-0${1 + Math.floor(r() * 9)}`,
    tag: pick(['safe', 'safe', 'alcohol', 'violence']),
    label: pick(['tabby', 'beagle', 'beer bottle', 'minibus', '']),
    objects: [...new Set([pick(['person', 'cup', 'dog']), pick(['person', 'car'])])],
    people: r() < 0.2 ? [pick(['Ann', 'Bo'])] : [],
    camera: pick(['', 'Canon EOS', 'NIKON D70']),
    lens: pick(['', '50mm']),
    creator: pick(['', 'jdoe', 'amy', 'imported by Alice']),
    source: pick(['file', 'folder', 'url']),
    megapixels: r() * 20,
    colour: r() < 0.9 ? [Math.floor(r() * 12), Math.floor(r() * 3)] : null,
  }));
}

/** The same numbers computed the slow, obvious way: filter, then count each key separately. */
function bruteCount(rs: AnalyticsRecord[], f: Filters, key: (r: AnalyticsRecord) => string[]): Map<string, number> {
  const keep = rs.filter(
    (r) =>
      (!f.from || r.month >= f.from) &&
      (!f.to || r.month <= f.to) &&
      (!f.tag || r.tag === f.tag) &&
      (!f.label || r.label === f.label) &&
      (!f.person || r.people.includes(f.person)) &&
      (!f.source || r.source === f.source),
  );
  const keys = new Set(keep.flatMap(key).filter(Boolean));
  return new Map([...keys].map((k) => [k, keep.filter((r) => key(r).includes(k)).length]));
}

describe('aggregate equals a brute-force count', () => {
  const rs = synthetic(3000);
  const filters: Filters[] = [{}, { tag: 'alcohol' }, { from: '2021-03', to: '2023-05', source: 'url' }, { person: 'Ann' }, { label: 'beagle', tag: 'safe' }];
  for (const f of filters)
    it(JSON.stringify(f), () => {
      const a = aggregate(rs, f, 1000);
      const check = (got: [string, number][], key: (r: AnalyticsRecord) => string[]) => expect(new Map(got)).toEqual(bruteCount(rs, f, key));
      check(a.labels, (r) => [r.label]);
      check(a.tags, (r) => [r.tag]);
      check(a.objects, (r) => r.objects);
      check(a.people, (r) => r.people);
      check(a.creators, (r) => [r.creator]);
      check(a.cameras, (r) => [r.camera]);
      check(a.months, (r) => [r.month]);
      check(
        a.megapixels.filter(([, n]) => n > 0),
        (r) => [MP_BUCKETS.find(([max]) => r.megapixels < max)![1]],
      );
      expect(a.total).toBe(bruteCount(rs, f, () => ['all']).get('all') ?? 0);
      const colourTotal = a.colours.flat().reduce((s, x) => s + x, 0);
      expect(colourTotal).toBe(bruteCount(rs, f, (r) => (r.colour ? ['c'] : [])).get('c') ?? 0);
    });
  it('top-n lists are sorted by count, then name', () => {
    const a = aggregate(rs, {}, 3);
    expect(a.labels).toHaveLength(3);
    for (let i = 1; i < a.labels.length; i++) expect(a.labels[i - 1][1]).toBeGreaterThanOrEqual(a.labels[i][1]);
  });
  it('100,000 records aggregate in well under a second', () => {
    const big = synthetic(100_000, 2);
    const t0 = performance.now();
    aggregate(big, { tag: 'safe' });
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});

describe('contributions by creator: EXIF artist, else data set photographer, else importing profile', () => {
  // Profiles: p1 is still called Alice, p2 was renamed from Bob to Robert, p3 (Cy) was deleted.
  const names = new Map([
    ['p1', 'Alice'],
    ['p2', 'Robert'],
  ]);
  const importers = [undefined, { profileId: 'p1', name: 'Alice' }, { profileId: 'p2', name: 'Bob' }, { profileId: 'p3', name: 'Cy' }];
  const r = rng(7);
  const pick = <T>(a: T[]) => a[Math.floor(r() * a.length)];
  const images: ImageRecord[] = Array.from({ length: 2000 }, (_, i) => {
    const photographer = pick([undefined, 'jdoe', 'amy']);
    const source: ImageSource =
      r() < 0.5 ? { kind: 'url', url: `https://x/${i}`, meta: photographer ? { photographer_username: photographer } : {} } : { kind: 'file' };
    const artist = pick([undefined, '', 'Ann Artist']);
    const importedBy = pick(importers);
    return {
      id: String(i),
      name: `${i}.jpg`,
      bytes: 1,
      format: 'jpeg',
      width: 10,
      height: 10,
      addedAt: i,
      source,
      exif: r() < 0.2 ? null : { artist },
      ...(importedBy ? { importedBy } : {}),
    } as ImageRecord;
  });
  /** The rule written out case by case. */
  function expected(im: ImageRecord): string {
    if (im.exif?.artist) return im.exif.artist;
    if (im.source.kind === 'url' && im.source.meta.photographer_username) return im.source.meta.photographer_username;
    if (!im.importedBy) return '';
    if (im.importedBy.profileId === 'p1') return 'imported by Alice';
    if (im.importedBy.profileId === 'p2') return 'imported by Robert';
    return 'imported by Cy';
  }
  it('toRecord picks the first that is present, with the current profile name (or the name at import time when deleted)', () => {
    for (const im of images) expect(toRecord(im, undefined, undefined, names).creator).toBe(expected(im));
  });
  it('the creators chart equals a brute-force count of all three kinds', () => {
    const a = aggregate(
      images.map((im) => toRecord(im, undefined, undefined, names)),
      {},
      1000,
    );
    const want = new Map<string, number>();
    for (const im of images) if (expected(im)) want.set(expected(im), (want.get(expected(im)) ?? 0) + 1);
    expect(new Map(a.creators)).toEqual(want);
    expect([...want.keys()].sort()).toEqual(['Ann Artist', 'amy', 'imported by Alice', 'imported by Cy', 'imported by Robert', 'jdoe']);
  });
  it('without profile names, the name recorded at import is used', () => {
    const im = images.find((x) => !x.exif?.artist && x.source.kind === 'file' && x.importedBy?.profileId === 'p2')!;
    expect(toRecord(im).creator).toBe('imported by Bob');
  });
});
