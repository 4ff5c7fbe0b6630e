// Method 2: a softmax (multinomial logistic) regression over face descriptors, trained with tfjs in the faces
// worker. The trained weights are plain arrays, so the app stores them and predicts with src/shared/faces-classifier.ts
// without a worker round trip; `predictTf` is the same maths in tfjs (the tests check both agree).
import type * as Tfc from '@tensorflow/tfjs-core';
import type { SoftmaxModel } from '../../shared/faces-classifier';

export type Tf = typeof Tfc;

export interface TrainOptions {
  epochs?: number;
  learningRate?: number;
  /** L2 penalty on the weights: with one or two samples per person it keeps the logits from exploding. */
  l2?: number;
}

export interface Sample {
  label: string;
  descriptor: Float32Array;
}

/**
 * Full-batch Adam on mean softmax cross-entropy + l2·‖W‖². The gradients are written out (dlogits = (P − Y)/n,
 * dW = Xᵀ·dlogits + 2·l2·W, db = Σ dlogits) rather than taken from tfjs' autodiff: human's bundled tfjs carries
 * no gradient functions ("gradient function not found for Add"), so only forward ops are used here.
 */
export function trainSoftmax(tf: Tf, samples: readonly Sample[], opts: TrainOptions = {}): SoftmaxModel {
  const t0 = performance.now();
  const labels = [...new Set(samples.map((s) => s.label))].sort();
  if (labels.length < 2) throw new Error(`a classifier needs at least two people with samples (have ${labels.length})`);
  const dim = samples[0].descriptor.length;
  const k = labels.length;
  const n = samples.length;
  const epochs = opts.epochs ?? 200;
  const l2 = opts.l2 ?? 1e-3;
  const lr = opts.learningRate ?? 0.05;
  const [beta1, beta2, eps] = [0.9, 0.999, 1e-7]; // tf.train.adam's defaults
  const flat = new Float32Array(n * dim);
  samples.forEach((s, i) => flat.set(s.descriptor, i * dim));
  const x = tf.tensor2d(flat, [n, dim]);
  const xT = tf.transpose(x);
  const y = tf.tidy(() =>
    tf.cast(
      tf.oneHot(
        tf.tensor1d(
          samples.map((s) => labels.indexOf(s.label)),
          'int32',
        ),
        k,
      ),
      'float32',
    ),
  );
  // Parameters and Adam's moments; each step replaces them (the old ones are disposed).
  let w: Tfc.Tensor = tf.zeros([dim, k]);
  let b: Tfc.Tensor = tf.zeros([k]);
  let mw: Tfc.Tensor = tf.zeros([dim, k]);
  let vw: Tfc.Tensor = tf.zeros([dim, k]);
  let mb: Tfc.Tensor = tf.zeros([k]);
  let vb: Tfc.Tensor = tf.zeros([k]);
  let loss = NaN;
  try {
    for (let e = 1; e <= epochs; e++) {
      const last = e === epochs;
      const next = tf.tidy(() => {
        const logits = tf.add(tf.matMul(x, w), b);
        const p = tf.softmax(logits);
        const dLogits = tf.div(tf.sub(p, y), n);
        const gw = tf.add(tf.matMul(xT, dLogits), tf.mul(w, 2 * l2));
        const gb = tf.sum(dLogits, 0);
        const c1 = 1 - beta1 ** e;
        const c2 = 1 - beta2 ** e;
        const step = (param: Tfc.Tensor, g: Tfc.Tensor, m: Tfc.Tensor, v: Tfc.Tensor) => {
          const m2 = tf.add(tf.mul(m, beta1), tf.mul(g, 1 - beta1));
          const v2 = tf.add(tf.mul(v, beta2), tf.mul(tf.square(g), 1 - beta2));
          const upd = tf.div(tf.mul(m2, lr / c1), tf.add(tf.sqrt(tf.div(v2, c2)), eps));
          return [tf.sub(param, upd), m2, v2];
        };
        // The loss of the weights before this step (as optimizer.minimize reports it), only when it is kept.
        const cost = last ? tf.add(tf.neg(tf.mean(tf.sum(tf.mul(y, tf.logSoftmax(logits)), 1))), tf.mul(tf.sum(tf.square(w)), l2)) : tf.scalar(NaN);
        return [...step(w, gw, mw, vw), ...step(b, gb, mb, vb), cost];
      });
      tf.dispose([w, mw, vw, b, mb, vb]);
      let cost: Tfc.Tensor;
      [w, mw, vw, b, mb, vb, cost] = next;
      if (last) loss = cost.dataSync()[0];
      cost.dispose();
    }
    return {
      labels,
      dim,
      weights: Array.from(w.dataSync()),
      bias: Array.from(b.dataSync()),
      loss,
      epochs,
      samples: n,
      trainMs: performance.now() - t0,
    };
  } finally {
    tf.dispose([x, xT, y, w, b, mw, vw, mb, vb]);
  }
}

/** Probabilities per label for each descriptor, computed in tfjs. */
export function predictTf(tf: Tf, model: SoftmaxModel, descriptors: readonly Float32Array[]): number[][] {
  return tf.tidy(() => {
    const flat = new Float32Array(descriptors.length * model.dim);
    descriptors.forEach((d, i) => flat.set(d, i * model.dim));
    const x = tf.tensor2d(flat, [descriptors.length, model.dim]);
    const w = tf.tensor2d(model.weights, [model.dim, model.labels.length]);
    const p = tf.softmax(tf.add(tf.matMul(x, w), tf.tensor1d(model.bias)));
    return p.arraySync() as number[][];
  });
}
