import type { Label } from '../shared/types';

export function softmax(logits: ArrayLike<number>): Float32Array {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) if (logits[i] > max) max = logits[i];
  const out = new Float32Array(logits.length);
  let sum = 0;
  for (let i = 0; i < logits.length; i++) sum += out[i] = Math.exp(logits[i] - max);
  for (let i = 0; i < out.length; i++) out[i] /= sum;
  return out;
}

/** The k largest entries, largest first; ties keep the lower index first. */
export function topK(probs: ArrayLike<number>, k: number, names: readonly string[]): Label[] {
  const idx: number[] = [];
  for (let i = 0; i < probs.length; i++) {
    if (idx.length < k || probs[i] > probs[idx[idx.length - 1]]) {
      let j = idx.length < k ? idx.length : k - 1;
      while (j > 0 && probs[i] > probs[idx[j - 1]]) {
        if (j < k) idx[j] = idx[j - 1];
        j--;
      }
      idx[j] = i;
      if (idx.length > k) idx.length = k;
    }
  }
  return idx.map((i) => ({ index: i, label: names[i] ?? `class ${i}`, prob: probs[i] }));
}
