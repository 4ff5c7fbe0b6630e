// Face matching, pure and shared: descriptors are L2-normalised, distance is cosine distance (1 − cos, 0 = same
// direction, 2 = opposite). Recognition is nearest enrolled sample per identity with a threshold; unknown faces
// are grouped with DBSCAN; the threshold's default is calibrated from labelled pairs (see calibrateThreshold).

export interface Identity {
  personId: string;
  name: string;
  descriptors: Float32Array[];
}

export interface Match {
  personId: string | null;
  /** Distance to the nearest sample of the best identity (Infinity with an empty gallery). */
  distance: number;
  /** The best identity even when it is beyond the threshold (for previews and explanations). */
  nearest: string | null;
}

export function normalize(v: ArrayLike<number>): Float32Array {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
  const out = new Float32Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = v[i] * inv;
  return out;
}

/** 1 − cosine similarity of two normalised vectors; the rounding guards tiny negatives from float error. */
export function faceDistance(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new Error(`descriptor lengths differ (${a.length} vs ${b.length})`);
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += a[i] * b[i];
  return Math.max(0, 1 - dot);
}

export function nearestIdentity(d: Float32Array, gallery: readonly Identity[]): { personId: string | null; distance: number } {
  let best: string | null = null;
  let bestD = Infinity;
  for (const id of gallery) {
    for (const g of id.descriptors) {
      const dist = faceDistance(d, g);
      if (dist < bestD) {
        bestD = dist;
        best = id.personId;
      }
    }
  }
  return { personId: best, distance: bestD };
}

/** Method 1: the nearest identity if it is within `threshold`, else Unknown (personId null). */
export function recognize(d: Float32Array, gallery: readonly Identity[], threshold: number): Match {
  const n = nearestIdentity(d, gallery);
  return { personId: n.distance <= threshold ? n.personId : null, distance: n.distance, nearest: n.personId };
}

export interface Flip {
  faceId: string;
  from: string | null;
  to: string | null;
}

/** Which faces a threshold change would turn from one answer to another (for the slider's preview). */
export function thresholdFlips(faces: readonly { id: string; descriptor: Float32Array }[], gallery: readonly Identity[], from: number, to: number): Flip[] {
  const out: Flip[] = [];
  for (const f of faces) {
    const n = nearestIdentity(f.descriptor, gallery);
    const a = n.distance <= from ? n.personId : null;
    const b = n.distance <= to ? n.personId : null;
    if (a !== b) out.push({ faceId: f.id, from: a, to: b });
  }
  return out;
}

/**
 * DBSCAN over cosine distance: a face with ≥ minPts neighbours within eps (itself included) is a core; clusters
 * grow through cores. Returns a cluster index per face, −1 for noise. O(n²), fine for the few thousand unknown
 * faces a library holds.
 */
export function dbscan(vectors: readonly Float32Array[], eps: number, minPts: number): number[] {
  const n = vectors.length;
  const labels = new Array<number>(n).fill(-2); // −2 unvisited
  const neighbours = (i: number) => {
    const out: number[] = [];
    for (let j = 0; j < n; j++) if (faceDistance(vectors[i], vectors[j]) <= eps) out.push(j);
    return out;
  };
  let cluster = 0;
  for (let i = 0; i < n; i++) {
    if (labels[i] !== -2) continue;
    const nb = neighbours(i);
    if (nb.length < minPts) {
      labels[i] = -1;
      continue;
    }
    labels[i] = cluster;
    const queue = nb.filter((j) => j !== i);
    while (queue.length) {
      const j = queue.shift()!;
      if (labels[j] === -1) labels[j] = cluster; // border point
      if (labels[j] !== -2) continue;
      labels[j] = cluster;
      const nbj = neighbours(j);
      if (nbj.length >= minPts) queue.push(...nbj);
    }
    cluster++;
  }
  return labels;
}

export interface Suggestion<F> {
  faces: F[];
  /** Mean distance of its faces to their centroid: lower is tighter. */
  spread: number;
}

/** Groups of at least `minSize` mutually close unknown faces: candidates for a new person. */
export function suggestPeople<F extends { descriptor: Float32Array }>(faces: readonly F[], eps: number, minSize = 3): Suggestion<F>[] {
  const labels = dbscan(
    faces.map((f) => f.descriptor),
    eps,
    minSize,
  );
  const groups = new Map<number, F[]>();
  labels.forEach((l, i) => {
    if (l >= 0) groups.set(l, [...(groups.get(l) ?? []), faces[i]]);
  });
  return [...groups.values()]
    .filter((g) => g.length >= minSize)
    .map((g) => {
      const c = normalize(centroid(g.map((f) => f.descriptor)));
      return { faces: g, spread: g.reduce((s, f) => s + faceDistance(f.descriptor, c), 0) / g.length };
    })
    .sort((a, b) => b.faces.length - a.faces.length || a.spread - b.spread);
}

export function centroid(vs: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(vs[0]?.length ?? 0);
  for (const v of vs) for (let i = 0; i < v.length; i++) out[i] += v[i] / vs.length;
  return out;
}

export interface LabelledScore {
  /** Distance (or 1 − confidence) of a probe to its best gallery identity. */
  score: number;
  /** The best identity is the probe's true identity (a genuine attempt), else an impostor attempt. */
  genuine: boolean;
}

/**
 * Picks the threshold from labelled attempts: the largest one whose false-accept rate stays ≤ maxFar, placed
 * halfway to the next impostor score so it is not fitted to the edge. Falls back to `fallback` without data.
 */
export function calibrateThreshold(attempts: readonly LabelledScore[], maxFar = 0, fallback = 0.45): number {
  const impostors = attempts
    .filter((a) => !a.genuine)
    .map((a) => a.score)
    .sort((a, b) => a - b);
  const genuine = attempts
    .filter((a) => a.genuine)
    .map((a) => a.score)
    .sort((a, b) => a - b);
  if (!impostors.length || !genuine.length) return fallback;
  const allowed = Math.floor(maxFar * impostors.length);
  const limit = impostors[allowed]; // accepting below this keeps ≤ `allowed` impostors
  const below = genuine.filter((g) => g < limit);
  if (!below.length) return limit / 2;
  return (below[below.length - 1] + limit) / 2;
}

/** Identification rate and false-accept rate of a set of decisions. */
export function rates(decisions: readonly { truth: string | null; predicted: string | null }[]): {
  accuracy: number;
  far: number;
  genuine: number;
  impostor: number;
} {
  const genuine = decisions.filter((d) => d.truth !== null);
  const impostor = decisions.filter((d) => d.truth === null);
  return {
    accuracy: genuine.length ? genuine.filter((d) => d.predicted === d.truth).length / genuine.length : NaN,
    far: impostor.length ? impostor.filter((d) => d.predicted !== null).length / impostor.length : NaN,
    genuine: genuine.length,
    impostor: impostor.length,
  };
}
