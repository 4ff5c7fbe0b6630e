// The trained softmax classifier as data (stored in IndexedDB, synced to the faces worker) and its prediction
// in plain JS: a 1024×P matrix product and a softmax, cheap enough for the main thread.

export interface SoftmaxModel {
  /** Person ids, in output order. */
  labels: string[];
  dim: number;
  /** Row-major dim × labels.length. */
  weights: number[];
  bias: number[];
  loss: number;
  epochs: number;
  samples: number;
  trainMs: number;
}

export function predictSoftmax(model: SoftmaxModel, d: Float32Array): number[] {
  const k = model.labels.length;
  const logits = model.bias.slice();
  for (let i = 0; i < model.dim; i++) {
    const x = d[i];
    if (x === 0) continue;
    const row = i * k;
    for (let j = 0; j < k; j++) logits[j] += x * model.weights[row + j];
  }
  const max = Math.max(...logits);
  const e = logits.map((l) => Math.exp(l - max));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

/** Method 2: the most probable person if the classifier is at least `minConfidence` sure, else Unknown. */
export function classifyFace(model: SoftmaxModel, d: Float32Array, minConfidence: number): { personId: string | null; confidence: number; nearest: string } {
  const p = predictSoftmax(model, d);
  let best = 0;
  for (let j = 1; j < p.length; j++) if (p[j] > p[best]) best = j;
  return { personId: p[best] >= minConfidence ? model.labels[best] : null, confidence: p[best], nearest: model.labels[best] };
}
