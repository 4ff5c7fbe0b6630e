import { describe, expect, it } from 'vitest';
import { chooseK, kmeans, nearest, pca2, rng, silhouette } from '../../src/ml/analytics/vectors';

/** Three well separated Gaussian blobs in 16-d. */
function blobs(perBlob = 40, d = 16, seed = 3) {
  const r = rng(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(r() || 1e-9)) * Math.cos(2 * Math.PI * r());
  const centres = [0, 1, 2].map((c) => Float32Array.from({ length: d }, (_, i) => (i % 3 === c ? 10 : 0)));
  const data: Float32Array[] = [];
  const truth: number[] = [];
  centres.forEach((c, ci) => {
    for (let j = 0; j < perBlob; j++) {
      data.push(c.map((x) => x + gauss() * 0.8));
      truth.push(ci);
    }
  });
  return { data, truth };
}

describe('kmeans', () => {
  it('recovers three separable clusters exactly (up to label permutation)', () => {
    const { data, truth } = blobs();
    const { assign, k } = kmeans(data, 3, 7);
    expect(k).toBe(3);
    const map = new Map<number, number>();
    truth.forEach((t, i) => map.set(t, map.get(t) ?? assign[i]));
    expect(new Set(map.values()).size).toBe(3);
    truth.forEach((t, i) => expect(assign[i]).toBe(map.get(t)));
  });
  it('is deterministic for a seed and copes with k > n and empty input', () => {
    const { data } = blobs(5);
    expect(kmeans(data, 3, 1).assign).toEqual(kmeans(data, 3, 1).assign);
    expect(kmeans(data.slice(0, 2), 5).k).toBe(2);
    expect(kmeans([], 3).k).toBe(0);
  });
});

describe('silhouette and chooseK', () => {
  it('prefers the true k for separated blobs', () => {
    const { data } = blobs(25);
    const { k, scores } = chooseK(data, 6);
    expect(k).toBe(3);
    expect(scores.find((s) => s.k === 3)!.silhouette).toBeGreaterThan(0.7);
  });
  it('is near 0 for a random split', () => {
    const { data } = blobs(20);
    const r = rng(9);
    expect(
      Math.abs(
        silhouette(
          data,
          Int32Array.from(data, () => Math.floor(r() * 3)),
        ),
      ),
    ).toBeLessThan(0.2);
  });
});

describe('pca2', () => {
  it('finds the direction of largest variance first', () => {
    const r = rng(5);
    // Points stretched along (1, 1, 0) with small noise elsewhere.
    const data = Array.from({ length: 200 }, () => {
      const t = (r() - 0.5) * 20;
      return Float32Array.from([t + (r() - 0.5) * 0.1, t + (r() - 0.5) * 0.1, (r() - 0.5) * 2]);
    });
    const { points, explained } = pca2(data);
    expect(points).toHaveLength(200);
    expect(explained[0]).toBeGreaterThan(0.95);
    expect(explained[0]).toBeGreaterThan(explained[1]);
    // The first coordinate tracks t (up to sign): |corr| close to 1 with x + y.
    const xs = points.map((p) => p[0]);
    const ts = data.map((v) => v[0] + v[1]);
    const mean = (a: number[]) => a.reduce((s, x) => s + x, 0) / a.length;
    const [mx, mt] = [mean(xs), mean(ts)];
    const cov = xs.reduce((s, x, i) => s + (x - mx) * (ts[i] - mt), 0);
    const corr = cov / Math.sqrt(xs.reduce((s, x) => s + (x - mx) ** 2, 0) * ts.reduce((s, t) => s + (t - mt) ** 2, 0));
    expect(Math.abs(corr)).toBeGreaterThan(0.99);
  });
});

describe('nearest', () => {
  it('ranks by cosine similarity and excludes the query itself', () => {
    const v = [Float32Array.from([1, 0]), Float32Array.from([0.9, 0.1]), Float32Array.from([0, 1]), Float32Array.from([-1, 0])];
    const r = nearest(v[0], v, 2, 0);
    expect(r.map((x) => x.index)).toEqual([1, 2]);
    expect(r[0].similarity).toBeCloseTo(0.9 / Math.hypot(0.9, 0.1), 6);
  });
});
