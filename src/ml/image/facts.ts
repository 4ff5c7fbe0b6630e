import type { ImageFacts, PaletteColour } from '../../shared/metadata';

export type { ImageFacts, PaletteColour };

// Image facts computed from small renditions of the decoded image: a colour palette (k-means), an RGB
// histogram and a difference hash for near-duplicate search. Pure functions over RGBA bytes.

const hex2 = (v: number) =>
  Math.round(Math.max(0, Math.min(255, v)))
    .toString(16)
    .padStart(2, '0');

/** k-means on RGB with a deterministic start (pixels spread along brightness), largest cluster first. */
export function palette(rgba: ArrayLike<number>, k = 5, iterations = 10): PaletteColour[] {
  const n = Math.floor(rgba.length / 4);
  if (!n) return [];
  const px: [number, number, number][] = [];
  for (let i = 0; i < n; i++) if (rgba[i * 4 + 3] >= 128) px.push([rgba[i * 4], rgba[i * 4 + 1], rgba[i * 4 + 2]]);
  if (!px.length) return [];
  const byLum = [...px].sort((a, b) => a[0] * 0.299 + a[1] * 0.587 + a[2] * 0.114 - (b[0] * 0.299 + b[1] * 0.587 + b[2] * 0.114));
  const kk = Math.min(k, px.length);
  let centres = Array.from({ length: kk }, (_, j) => [...byLum[Math.floor(((j + 0.5) * byLum.length) / kk)]]);
  const assign = new Int32Array(px.length);
  for (let it = 0; it < iterations; it++) {
    const sums = centres.map(() => [0, 0, 0, 0]);
    px.forEach((p, i) => {
      let best = 0;
      let bestD = Infinity;
      centres.forEach((c, j) => {
        const d = (p[0] - c[0]) ** 2 + (p[1] - c[1]) ** 2 + (p[2] - c[2]) ** 2;
        if (d < bestD) [best, bestD] = [j, d];
      });
      assign[i] = best;
      const s = sums[best];
      s[0] += p[0];
      s[1] += p[1];
      s[2] += p[2];
      s[3]++;
    });
    centres = centres.map((c, j) => (sums[j][3] ? [sums[j][0] / sums[j][3], sums[j][1] / sums[j][3], sums[j][2] / sums[j][3]] : c));
  }
  const counts = new Array(centres.length).fill(0);
  for (const a of assign) counts[a]++;
  return centres
    .map((c, j) => ({ hex: `#${hex2(c[0])}${hex2(c[1])}${hex2(c[2])}`, share: counts[j] / px.length }))
    .filter((c) => c.share > 0)
    .sort((a, b) => b.share - a.share);
}

export function histogram(rgba: ArrayLike<number>, bins = 8): number[] {
  const h = new Array(3 * bins).fill(0);
  const n = Math.floor(rgba.length / 4);
  for (let i = 0; i < n; i++) for (let c = 0; c < 3; c++) h[c * bins + Math.min(bins - 1, Math.floor((rgba[i * 4 + c] * bins) / 256))]++;
  return n ? h.map((v) => v / n) : h;
}

/** dHash: compare each pixel of a 9×8 grey image with its right neighbour (RGBA input, 9×8). */
export function dhash(rgba9x8: ArrayLike<number>): string {
  if (rgba9x8.length !== 9 * 8 * 4) throw new Error('dhash needs a 9×8 RGBA image');
  const grey = (i: number) => rgba9x8[i * 4] * 0.299 + rgba9x8[i * 4 + 1] * 0.587 + rgba9x8[i * 4 + 2] * 0.114;
  let out = '';
  for (let y = 0; y < 8; y++) {
    let nibble = 0;
    for (let x = 0; x < 8; x++) {
      nibble = (nibble << 1) | (grey(y * 9 + x) > grey(y * 9 + x + 1) ? 1 : 0);
      if (x % 4 === 3) {
        out += nibble.toString(16);
        nibble = 0;
      }
    }
  }
  return out;
}

/** Differing bits between two dHashes (0..64). */
export function hamming(a: string, b: string): number {
  let d = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    let x = parseInt(a[i], 16) ^ parseInt(b[i], 16);
    while (x) {
      d += x & 1;
      x >>= 1;
    }
  }
  return d + 4 * Math.abs(a.length - b.length);
}
