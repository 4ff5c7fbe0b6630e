import { describe, expect, it } from 'vitest';
import { softmax, topK } from '../../src/ml/postprocess';

/** Deterministic PRNG (mulberry32) so a failure reproduces. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sum = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v, 0);

describe('softmax', () => {
  it('[0, ln 3] -> [1/4, 3/4]', () => {
    const p = softmax([0, Math.log(3)]);
    expect(p).toBeInstanceOf(Float32Array);
    expect(p[0]).toBeCloseTo(0.25, 6);
    expect(p[1]).toBeCloseTo(0.75, 6);
  });

  it('equal logits give a uniform distribution', () => {
    expect(Array.from(softmax([2, 2, 2, 2]))).toEqual([0.25, 0.25, 0.25, 0.25]);
    expect(Array.from(softmax([7]))).toEqual([1]);
  });

  it('is stable for large logits (no Infinity/NaN)', () => {
    // exp(1000) overflows; after subtracting the max: [e^-1, 1] / (1 + e^-1) = [0.268941, 0.731059]
    const p = softmax([1000, 1001]);
    expect(p[0]).toBeCloseTo(0.268941, 5);
    expect(p[1]).toBeCloseTo(0.731059, 5);
    const q = softmax([-1000, 0, 1000]);
    expect(Array.from(q)).toEqual([0, 0, 1]);
    expect(Array.from(softmax([1e6, 1e6]))).toEqual([0.5, 0.5]);
  });

  it('is invariant to adding a constant', () => {
    const a = softmax([1, 2, 3]);
    const b = softmax([101, 102, 103]);
    for (let i = 0; i < 3; i++) expect(b[i]).toBeCloseTo(a[i], 6);
    // e^0, e^1, e^2 over their sum 11.107: 0.090031, 0.244728, 0.665241
    expect(a[0]).toBeCloseTo(0.090031, 5);
    expect(a[1]).toBeCloseTo(0.244728, 5);
    expect(a[2]).toBeCloseTo(0.665241, 5);
  });

  it('sums to 1 over 1000 random logits and keeps the order', () => {
    const r = rng(42);
    const logits = Array.from({ length: 1000 }, () => r() * 40 - 20);
    const p = softmax(logits);
    expect(p.length).toBe(1000);
    expect(sum(p)).toBeCloseTo(1, 5);
    const argmax = (a: ArrayLike<number>) => Array.from(a).indexOf(Math.max(...Array.from(a)));
    expect(argmax(p)).toBe(argmax(logits));
    expect(Array.from(p).every((v) => v > 0 && v < 1)).toBe(true);
  });

  it('accepts typed arrays and returns an empty array for no logits', () => {
    expect(Array.from(softmax(new Float32Array([0, 0])))).toEqual([0.5, 0.5]);
    expect(softmax([]).length).toBe(0);
  });
});

describe('topK', () => {
  const names = ['a', 'b', 'c', 'd', 'e'];

  it('returns the k largest, largest first, with index and label', () => {
    expect(topK([0.1, 0.3, 0.05, 0.4, 0.15], 3, names)).toEqual([
      { index: 3, label: 'd', prob: 0.4 },
      { index: 1, label: 'b', prob: 0.3 },
      { index: 4, label: 'e', prob: 0.15 },
    ]);
  });

  it('keeps the lower index first on ties', () => {
    expect(topK([0.2, 0.5, 0.1, 0.5, 0.2], 4, names).map((l) => l.index)).toEqual([1, 3, 0, 4]);
    // a tie at the cut-off keeps the earlier one
    expect(topK([0.2, 0.5, 0.1, 0.5, 0.2], 3, names).map((l) => l.index)).toEqual([1, 3, 0]);
    expect(topK([1, 1, 1, 1, 1], 2, names).map((l) => l.index)).toEqual([0, 1]);
  });

  it('k larger than the input returns everything, sorted', () => {
    expect(topK([0.1, 0.7, 0.2], 10, names).map((l) => [l.index, l.label])).toEqual([
      [1, 'b'],
      [2, 'c'],
      [0, 'a'],
    ]);
  });

  it('k = 1 is the argmax; k = 0 is empty', () => {
    expect(topK([0.3, 0.1, 0.6], 1, names)).toEqual([{ index: 2, label: 'c', prob: 0.6 }]);
    expect(topK([0.3, 0.1, 0.6], 0, names)).toEqual([]);
  });

  it('maps labels by class index and names missing ones', () => {
    const out = topK([0.1, 0.2, 0.7], 3, ['zero', 'one']);
    expect(out.map((l) => l.label)).toEqual(['class 2', 'one', 'zero']);
  });

  it('works on a Float32Array and reports the stored value', () => {
    const probs = new Float32Array([0.1, 0.6, 0.3]);
    const [top] = topK(probs, 1, names);
    expect(top.index).toBe(1);
    expect(top.prob).toBe(probs[1]);
  });

  it('k=20 over 1000 random values equals a sort-based reference (with and without ties)', () => {
    const labels = Array.from({ length: 1000 }, (_, i) => `label ${i}`);
    for (const seed of [1, 2, 3, 4, 5]) {
      const r = rng(seed);
      // odd seeds: coarse values, so there are many ties; even seeds: continuous values
      const probs = Array.from({ length: 1000 }, () => (seed % 2 ? Math.floor(r() * 40) / 40 : r()));
      const reference = probs
        .map((prob, index) => ({ index, label: `label ${index}`, prob }))
        .sort((x, y) => y.prob - x.prob || x.index - y.index)
        .slice(0, 20);
      const got = topK(probs, 20, labels);
      expect(got, `seed ${seed}`).toEqual(reference);
      expect(got).toHaveLength(20);
    }
  });

  it('softmax + topK pick the right classes from logits', () => {
    const logits = new Float32Array(1000);
    logits[907] = 9; // 'wine bottle' in ImageNet order
    logits[440] = 8;
    const top = topK(softmax(logits), 2, []);
    expect(top.map((l) => l.index)).toEqual([907, 440]);
    // e^9 / (e^9 + e^8 + 998) = 8103.08 / (8103.08 + 2980.96 + 998) = 0.670671
    expect(top[0].prob).toBeCloseTo(0.670671, 5);
  });
});
