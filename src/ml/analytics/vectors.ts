// Embedding maths for clusters, projections and "similar images": cosine k-NN, k-means (k-means++ start,
// seeded) with silhouette, and a 2-D PCA by power iteration (no d×d covariance matrix for d = 2048).

export type Vec = Float32Array;

export function normalise(v: Vec): Vec {
  let n = 0;
  for (let i = 0; i < v.length; i++) n += v[i] * v[i];
  n = Math.sqrt(n) || 1;
  // A plain loop: the same values as v.map(x => x / n), several times faster on 2,048-float vectors.
  const out = new Float32Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = v[i] / n;
  return out;
}

export function dot(a: Vec, b: Vec): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** Indices of the k vectors most similar (cosine) to `query`, best first, excluding `exclude`. */
export function nearest(query: Vec, vectors: Vec[], k: number, exclude = -1): { index: number; similarity: number }[] {
  const q = normalise(query);
  return vectors
    .map((v, index) => ({ index, similarity: index === exclude ? -Infinity : dot(q, normalise(v)) }))
    .filter((r) => r.similarity > -Infinity)
    .sort((a, b) => b.similarity - a.similarity)
    .slice(0, k);
}

function dist2(a: Vec, b: Vec): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return s;
}

/** Small deterministic PRNG (mulberry32): the same data and seed give the same clusters. */
export function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface KMeansResult {
  k: number;
  assign: Int32Array;
  centroids: Vec[];
  iterations: number;
}

export function kmeans(data: Vec[], k: number, seed = 1, maxIter = 50): KMeansResult {
  const n = data.length;
  if (n === 0 || k < 1) return { k: 0, assign: new Int32Array(0), centroids: [], iterations: 0 };
  k = Math.min(k, n);
  const rand = rng(seed);
  // k-means++: each next centre is drawn with probability proportional to its squared distance.
  const centroids: Vec[] = [Float32Array.from(data[Math.floor(rand() * n)])];
  const d2 = data.map((v) => dist2(v, centroids[0]));
  while (centroids.length < k) {
    const total = d2.reduce((a, b) => a + b, 0);
    let r = rand() * total;
    let i = 0;
    while (i < n - 1 && (r -= d2[i]) > 0) i++;
    centroids.push(Float32Array.from(data[i]));
    data.forEach((v, j) => (d2[j] = Math.min(d2[j], dist2(v, centroids[centroids.length - 1]))));
  }
  const assign = new Int32Array(n).fill(-1);
  let it = 0;
  for (; it < maxIter; it++) {
    let changed = 0;
    data.forEach((v, i) => {
      let best = 0;
      let bestD = Infinity;
      centroids.forEach((c, j) => {
        const d = dist2(v, c);
        if (d < bestD) [best, bestD] = [j, d];
      });
      if (assign[i] !== best) [assign[i], changed] = [best, changed + 1];
    });
    const sums = centroids.map((c) => new Float32Array(c.length));
    const counts = new Array(k).fill(0);
    data.forEach((v, i) => {
      counts[assign[i]]++;
      const s = sums[assign[i]];
      for (let d = 0; d < v.length; d++) s[d] += v[d];
    });
    sums.forEach((s, j) => counts[j] && (centroids[j] = s.map((x) => x / counts[j])));
    if (!changed) break;
  }
  return { k, assign, centroids, iterations: it + 1 };
}

/** Mean silhouette (−1..1, higher is better separated); on at most `sample` points for speed. */
export function silhouette(data: Vec[], assign: Int32Array, sample = 500, seed = 1): number {
  const n = data.length;
  const k = Math.max(...assign) + 1;
  if (k < 2 || n < 3) return 0;
  const rand = rng(seed);
  const idx = n <= sample ? [...Array(n).keys()] : Array.from({ length: sample }, () => Math.floor(rand() * n));
  let total = 0;
  for (const i of idx) {
    const sums = new Array(k).fill(0);
    const counts = new Array(k).fill(0);
    for (const j of idx) {
      if (i === j) continue;
      sums[assign[j]] += Math.sqrt(dist2(data[i], data[j]));
      counts[assign[j]]++;
    }
    const own = assign[i];
    const a = counts[own] ? sums[own] / counts[own] : 0;
    let b = Infinity;
    for (let c = 0; c < k; c++) if (c !== own && counts[c]) b = Math.min(b, sums[c] / counts[c]);
    total += b === Infinity || Math.max(a, b) === 0 ? 0 : (b - a) / Math.max(a, b);
  }
  return total / idx.length;
}

export interface KScore {
  k: number;
  silhouette: number;
  /** Time of this k's k-means and of its silhouette (benchmarks). */
  kmeansMs: number;
  silhouetteMs: number;
}

/** k in [2, maxK] with the best silhouette. */
export function chooseK(data: Vec[], maxK = 8, seed = 1): { k: number; scores: KScore[] } {
  const scores: KScore[] = [];
  for (let k = 2; k <= Math.min(maxK, data.length - 1); k++) {
    const t0 = performance.now();
    const { assign } = kmeans(data, k, seed);
    const t1 = performance.now();
    scores.push({ k, silhouette: silhouette(data, assign), kmeansMs: t1 - t0, silhouetteMs: performance.now() - t1 });
  }
  const best = scores.reduce((a, b) => (b.silhouette > a.silhouette ? b : a), { k: Math.min(2, data.length), silhouette: -Infinity });
  return { k: best.k, scores };
}

/**
 * Projection on the first two principal components (power iteration with deflation, stops on convergence).
 * Components are fitted on at most `fitRows` random rows (the top two directions barely move), then every
 * row is projected.
 */
export function pca2(all: Vec[], seed = 1, maxIterations = 30, fitRows = 2000): { points: [number, number][]; explained: [number, number] } {
  if (!all.length) return { points: [], explained: [0, 0] };
  const pickRand = rng(seed + 1);
  const data = all.length <= fitRows ? all : Array.from({ length: fitRows }, () => all[Math.floor(pickRand() * all.length)]);
  const n = data.length;
  const d = data[0].length;
  // Centred data in one contiguous block: the loops below are the whole cost.
  const X = new Float32Array(n * d);
  const mean = new Float64Array(d);
  for (const v of data) for (let i = 0; i < d; i++) mean[i] += v[i] / n;
  let totalVar = 0;
  for (let r = 0; r < n; r++)
    for (let i = 0; i < d; i++) {
      const x = data[r][i] - mean[i];
      X[r * d + i] = x;
      totalVar += x * x;
    }
  const rand = rng(seed);
  const comps: Float64Array[] = [];
  const vars: number[] = [];
  const proj = new Float64Array(n);
  for (let c = 0; c < 2; c++) {
    let v = Float64Array.from({ length: d }, () => rand() - 0.5);
    let lambda = 0;
    for (let it = 0; it < maxIterations; it++) {
      // w = Xᵀ (X v), minus earlier components (deflation)
      for (let r = 0; r < n; r++) {
        let p = 0;
        const o = r * d;
        for (let i = 0; i < d; i++) p += X[o + i] * v[i];
        proj[r] = p;
      }
      const w = new Float64Array(d);
      for (let r = 0; r < n; r++) {
        const p = proj[r];
        const o = r * d;
        for (let i = 0; i < d; i++) w[i] += p * X[o + i];
      }
      for (const u of comps) {
        let p = 0;
        for (let i = 0; i < d; i++) p += w[i] * u[i];
        for (let i = 0; i < d; i++) w[i] -= p * u[i];
      }
      let norm = 0;
      for (let i = 0; i < d; i++) norm += w[i] * w[i];
      norm = Math.sqrt(norm) || 1;
      let change = 0;
      for (let i = 0; i < d; i++) {
        const x = w[i] / norm;
        change += (x - v[i]) ** 2;
        w[i] = x;
      }
      v = w;
      lambda = norm;
      if (change < 1e-10) break;
    }
    comps.push(v);
    vars.push(lambda);
  }
  const points = all.map((v) => {
    let a = 0;
    let b = 0;
    for (let i = 0; i < d; i++) {
      const x = v[i] - mean[i];
      a += x * comps[0][i];
      b += x * comps[1][i];
    }
    return [a, b] as [number, number];
  });
  return { points, explained: [vars[0] / (totalVar || 1), vars[1] / (totalVar || 1)] };
}
