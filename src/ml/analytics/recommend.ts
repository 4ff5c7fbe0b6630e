// Content-based recommendations for one profile. Similarity between two images combines their embeddings
// (cosine of library-centred ResNet features) with the overlap of their top-20 labels (Jaccard): on their
// own, pooled CNN features rank a dog close to a cash machine, while dog photos share dog-breed labels.
// Hidden, liked and already-seen images are left out, images like hidden ones are pushed down, and the
// list is diversified with maximal marginal relevance so it is not twenty near-copies of one picture.
import { dot, normalise, type Vec } from './vectors';

export interface Candidate {
  id: string;
  name: string;
  vector: Vec | null;
  /** Label names, most probable first (the stored top-20). */
  labels: string[];
  tag: string | undefined;
}

export interface ProfileSignals {
  liked: string[];
  hidden: string[];
  seen: string[];
}

export interface Recommendation {
  id: string;
  score: number;
  because: string;
}

/** A candidate ready for comparisons: its library-centred, normalised embedding and its label set. */
export interface Prepared {
  c: Candidate;
  v: Vec | null;
  labels: Set<string>;
}

/** Embeddings centred on the library mean: CNN features are all-positive, so raw cosines are all high. */
export function prepare(items: Candidate[]): Map<string, Prepared> {
  const withV = items.filter((i) => i.vector);
  const mean = withV.length ? new Float32Array(withV[0].vector!.length) : null;
  if (mean) for (const i of withV) for (let d = 0; d < mean.length; d++) mean[d] += i.vector![d] / withV.length;
  return new Map(items.map((c) => [c.id, { c, v: c.vector && mean ? centred(c.vector, mean) : null, labels: new Set(c.labels.slice(0, 20)) }]));
}

/** normalise(v − mean), in a plain loop (Float32Array.map is slow in V8; the values are the same). */
function centred(v: Vec, mean: Float32Array): Vec {
  const out = new Float32Array(v.length);
  for (let d = 0; d < v.length; d++) out[d] = v[d] - mean[d];
  return normalise(out);
}

function jaccard(a: Set<string>, b: Set<string>): number {
  if (!a.size || !b.size) return 0;
  let inter = 0;
  for (const x of a) if (b.has(x)) inter++;
  return inter / (a.size + b.size - inter);
}

export function similarity(a: Prepared, b: Prepared): number {
  return (a.v && b.v ? dot(a.v, b.v) : 0) + 2 * jaccard(a.labels, b.labels);
}

/** The k images most similar to `id` (embedding + label overlap), best first. */
export function mostSimilar(items: Candidate[], id: string, k: number): { id: string; similarity: number }[] {
  return mostSimilarPrepared(prepare(items), id, k);
}

/** mostSimilar over candidates prepared once (the analytics worker keeps them until the library changes). */
export function mostSimilarPrepared(prep: ReadonlyMap<string, Prepared>, id: string, k: number): { id: string; similarity: number }[] {
  const q = prep.get(id);
  if (!q) return [];
  return [...prep.values()]
    .filter((x) => x.c.id !== id)
    .map((x) => ({ id: x.c.id, similarity: similarity(q, x) }))
    .sort((a, b) => b.similarity - a.similarity)
    .slice(0, k);
}

export function recommend(items: Candidate[], p: ProfileSignals, k = 20, lambda = 0.8): Recommendation[] {
  return recommendPrepared(prepare(items), p, k, lambda);
}

/** recommend over candidates prepared once (the analytics worker keeps them until the library changes). */
export function recommendPrepared(prep: ReadonlyMap<string, Prepared>, p: ProfileSignals, k = 20, lambda = 0.8): Recommendation[] {
  const liked = p.liked.map((id) => prep.get(id)).filter((x): x is Prepared => !!x);
  const hidden = p.hidden.map((id) => prep.get(id)).filter((x): x is Prepared => !!x);
  const exclude = new Set([...p.liked, ...p.hidden, ...p.seen]);
  // Tag preferences: liking alcohol images makes other alcohol images a little more likely, hiding less.
  const tagPref = new Map<string, number>();
  for (const l of liked) tagPref.set(`${l.c.tag}`, (tagPref.get(`${l.c.tag}`) ?? 0) + 1);
  for (const h of hidden) tagPref.set(`${h.c.tag}`, (tagPref.get(`${h.c.tag}`) ?? 0) - 1);
  const maxPref = Math.max(1, ...[...tagPref.values()].map(Math.abs));

  const scored = [...prep.values()]
    .filter((x) => !exclude.has(x.c.id))
    .map((x) => {
      let best = { sim: 0, name: '' };
      for (const l of liked) {
        const s = similarity(x, l);
        if (s > best.sim) best = { sim: s, name: l.c.name };
      }
      const avoid = hidden.length ? Math.max(...hidden.map((h) => similarity(x, h))) : 0;
      const score = best.sim + (0.1 * (tagPref.get(`${x.c.tag}`) ?? 0)) / maxPref - 0.7 * avoid;
      const because = liked.length === 0 ? 'new in your library' : best.name ? `because you liked ${best.name}` : 'something different';
      return { x, score, because };
    })
    .sort((a, b) => b.score - a.score);

  // MMR: each pick trades relevance against similarity to what is already picked; near-copies of a picked
  // image only come after everything else.
  const picked: typeof scored = [];
  const pool = scored.slice(0, Math.max(k * 5, 50));
  while (picked.length < k && pool.length) {
    let bestI = 0;
    let bestVal = -Infinity;
    pool.forEach((s, i) => {
      const redundancy = Math.max(0, ...picked.map((q) => similarity(s.x, q.x)));
      const nearCopy = s.x.v && picked.some((q) => q.x.v && dot(s.x.v!, q.x.v!) > 0.97);
      const val = lambda * s.score - (1 - lambda) * redundancy - (nearCopy ? 10 : 0);
      if (val > bestVal) [bestI, bestVal] = [i, val];
    });
    picked.push(...pool.splice(bestI, 1));
  }
  return picked.map((s) => ({ id: s.x.c.id, score: s.score, because: s.because }));
}
