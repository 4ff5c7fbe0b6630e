// Face matching, DBSCAN suggestions and threshold calibration on synthetic descriptors: identities are random
// unit vectors in 1024-d, their faces the identity plus noise (then normalised), like real descriptors.
import { describe, expect, it } from 'vitest';
import {
  calibrateThreshold,
  dbscan,
  faceDistance,
  nearestIdentity,
  normalize,
  rates,
  recognize,
  suggestPeople,
  thresholdFlips,
  type Identity,
} from '../../src/shared/faces';
import { rng } from '../../src/ml/analytics/vectors';

const DIM = 1024;
function gaussian(r: () => number): number {
  return Math.sqrt(-2 * Math.log(r() || 1e-12)) * Math.cos(2 * Math.PI * r());
}
function randomUnit(r: () => number): Float32Array {
  return normalize(Float32Array.from({ length: DIM }, () => gaussian(r)));
}
/** A face of `id`: cosine distance to the identity grows with `noise` (0.5 → about 0.1). */
function faceOf(id: Float32Array, r: () => number, noise = 0.5): Float32Array {
  const n = randomUnit(r);
  return normalize(id.map((v, i) => v + noise * n[i]));
}

describe('face distance and recognition', () => {
  const r = rng(7);
  const ids = ['ann', 'bob', 'cy'].map((name) => ({ name, v: randomUnit(r) }));
  const gallery: Identity[] = ids.map((i) => ({ personId: i.name, name: i.name, descriptors: [faceOf(i.v, r), faceOf(i.v, r)] }));

  it('is 0 for the same vector, about 1 for unrelated ones, and checks lengths', () => {
    const a = randomUnit(r);
    expect(faceDistance(a, a)).toBeCloseTo(0, 5);
    expect(faceDistance(a, randomUnit(r))).toBeGreaterThan(0.85);
    expect(() => faceDistance(a, new Float32Array(10))).toThrow(/lengths differ/);
  });

  it('names every probe of an enrolled identity and calls strangers Unknown', () => {
    for (const id of ids) for (let k = 0; k < 5; k++) expect(recognize(faceOf(id.v, r), gallery, 0.45).personId).toBe(id.name);
    for (let k = 0; k < 5; k++) {
      const m = recognize(faceOf(randomUnit(r), r), gallery, 0.45);
      expect(m.personId).toBeNull();
      expect(m.nearest).not.toBeNull();
    }
    expect(recognize(randomUnit(r), [], 0.45)).toEqual({ personId: null, distance: Infinity, nearest: null });
  });

  it('previews exactly the faces a threshold change flips', () => {
    const probe = faceOf(ids[0].v, r, 1.2); // a poor photo of ann: far-ish
    const d = nearestIdentity(probe, gallery).distance;
    const faces = [
      { id: 'near', descriptor: faceOf(ids[1].v, r) },
      { id: 'far', descriptor: probe },
    ];
    expect(thresholdFlips(faces, gallery, d - 0.01, d + 0.01)).toEqual([{ faceId: 'far', from: null, to: 'ann' }]);
    expect(thresholdFlips(faces, gallery, d + 0.01, d - 0.01)).toEqual([{ faceId: 'far', from: 'ann', to: null }]);
    expect(thresholdFlips(faces, gallery, 0.45, 0.45)).toEqual([]);
  });
});

describe('DBSCAN suggestions', () => {
  const r = rng(11);
  const a = randomUnit(r);
  const b = randomUnit(r);
  const faces = [
    ...Array.from({ length: 4 }, (_, i) => ({ id: `a${i}`, descriptor: faceOf(a, r) })),
    ...Array.from({ length: 3 }, (_, i) => ({ id: `b${i}`, descriptor: faceOf(b, r) })),
    ...Array.from({ length: 2 }, (_, i) => ({ id: `c${i}`, descriptor: faceOf(randomUnit(r), r) })), // pair: too few
    { id: 'lone', descriptor: randomUnit(r) },
  ];

  it('recovers the groups and leaves noise unlabelled', () => {
    const labels = dbscan(
      faces.map((f) => f.descriptor),
      0.4,
      3,
    );
    expect(new Set(labels.slice(0, 4)).size).toBe(1);
    expect(new Set(labels.slice(4, 7)).size).toBe(1);
    expect(labels[0]).not.toBe(labels[4]);
    expect(labels.slice(7)).toEqual([-1, -1, -1]);
  });

  it('suggests a person only for groups of at least three, biggest first', () => {
    const s = suggestPeople(faces, 0.4, 3);
    expect(s.map((g) => g.faces.map((f) => f.id).sort())).toEqual([
      ['a0', 'a1', 'a2', 'a3'],
      ['b0', 'b1', 'b2'],
    ]);
    expect(s[0].spread).toBeGreaterThan(0);
    expect(suggestPeople(faces.slice(7), 0.4, 3)).toEqual([]);
  });
});

describe('threshold calibration and rates', () => {
  it('puts the threshold between the worst accepted genuine score and the best impostor', () => {
    const attempts = [0.2, 0.3, 0.44].map((score) => ({ score, genuine: true })).concat([0.51, 0.6, 0.7].map((score) => ({ score, genuine: false })));
    expect(calibrateThreshold(attempts)).toBeCloseTo((0.44 + 0.51) / 2, 6);
    // Allowing one false accept in three moves the limit to the second impostor.
    expect(calibrateThreshold(attempts, 1 / 3)).toBeCloseTo((0.44 + 0.6) / 2, 6);
    expect(calibrateThreshold([], 0, 0.45)).toBe(0.45);
  });

  it('counts identification accuracy over genuine probes and false accepts over impostor probes', () => {
    const r = rates([
      { truth: 'a', predicted: 'a' },
      { truth: 'a', predicted: null },
      { truth: 'b', predicted: 'b' },
      { truth: null, predicted: 'a' },
      { truth: null, predicted: null },
    ]);
    expect(r).toEqual({ accuracy: 2 / 3, far: 0.5, genuine: 3, impostor: 2 });
  });
});
