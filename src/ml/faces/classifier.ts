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

export function trainSoftmax(tf: Tf, samples: readonly Sample[], opts: TrainOptions = {}): SoftmaxModel {
  const t0 = performance.now();
  const labels = [...new Set(samples.map((s) => s.label))].sort();
  if (labels.length < 2) throw new Error(`a classifier needs at least two people with samples (have ${labels.length})`);
  const dim = samples[0].descriptor.length;
  const epochs = opts.epochs ?? 200;
  const l2 = opts.l2 ?? 1e-3;
  const flat = new Float32Array(samples.length * dim);
  samples.forEach((s, i) => flat.set(s.descriptor, i * dim));
  const x = tf.tensor2d(flat, [samples.length, dim]);
  // tidy frees the intermediates (index tensor, zeros); variables survive it and are disposed below.
  const y = tf.tidy(() =>
    tf.oneHot(
      tf.tensor1d(
        samples.map((s) => labels.indexOf(s.label)),
        'int32',
      ),
      labels.length,
    ),
  );
  const w = tf.tidy(() => tf.variable(tf.zeros([dim, labels.length])));
  const b = tf.tidy(() => tf.variable(tf.zeros([labels.length])));
  const optimizer = tf.train.adam(opts.learningRate ?? 0.05);
  let loss = NaN;
  try {
    for (let e = 0; e < epochs; e++) {
      const cost = optimizer.minimize(
        () => tf.add(tf.losses.softmaxCrossEntropy(y, tf.add(tf.matMul(x, w), b)), tf.mul(l2, tf.sum(tf.square(w)))) as Tfc.Scalar,
        e === epochs - 1,
      );
      if (cost) {
        loss = cost.dataSync()[0];
        cost.dispose();
      }
    }
    return {
      labels,
      dim,
      weights: Array.from(w.dataSync()),
      bias: Array.from(b.dataSync()),
      loss,
      epochs,
      samples: samples.length,
      trainMs: performance.now() - t0,
    };
  } finally {
    optimizer.dispose();
    tf.dispose([x, y, w, b]);
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
