// Method 2: the softmax classifier trained with tfjs (Node, CPU backend here; the faces worker uses human's tfjs
// on WASM) on synthetic descriptors. The app predicts with the plain-JS copy: both must agree.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { predictTf, trainSoftmax, type Tf } from '../../src/ml/faces/classifier';
import { classifyFace, predictSoftmax } from '../../src/shared/faces-classifier';
import { normalize } from '../../src/shared/faces';
import { rng } from '../../src/ml/analytics/vectors';

const DIM = 1024;
const r = rng(3);
const g = () => Math.sqrt(-2 * Math.log(r() || 1e-12)) * Math.cos(2 * Math.PI * r());
const unit = () => normalize(Float32Array.from({ length: DIM }, g));
const faceOf = (id: Float32Array, noise = 0.5) => {
  const n = unit();
  return normalize(id.map((v, i) => v + noise * n[i]));
};

describe('softmax face classifier', () => {
  const people = { ann: unit(), bob: unit(), cy: unit() };
  const samples = Object.entries(people).flatMap(([label, v]) => [faceOf(v), faceOf(v)].map((descriptor) => ({ label, descriptor })));

  it('learns the enrolled people, frees its tensors, and agrees with the plain-JS prediction', async () => {
    await tf.setBackend('cpu');
    const before = tf.memory().numTensors;
    const model = trainSoftmax(tf as unknown as Tf, samples, { epochs: 150 });
    expect(tf.memory().numTensors).toBe(before);
    expect(model.labels).toEqual(['ann', 'bob', 'cy']);
    expect(model.weights).toHaveLength(DIM * 3);
    expect(model.loss).toBeLessThan(0.3);

    const probes = Object.entries(people).flatMap(([label, v]) => Array.from({ length: 4 }, () => ({ label, d: faceOf(v) })));
    for (const p of probes) expect(classifyFace(model, p.d, 0.5).personId).toBe(p.label);

    const viaTf = predictTf(
      tf as unknown as Tf,
      model,
      probes.map((p) => p.d),
    );
    expect(tf.memory().numTensors).toBe(before);
    probes.forEach((p, i) => predictSoftmax(model, p.d).forEach((q, j) => expect(q).toBeCloseTo(viaTf[i][j], 4)));
  });

  it('is unsure about a stranger and answers Unknown above a high enough confidence bar', () => {
    const model = trainSoftmax(tf as unknown as Tf, samples, { epochs: 150 });
    const stranger = unit();
    const c = classifyFace(model, stranger, 0.9);
    expect(c.confidence).toBeLessThan(0.9);
    expect(c.personId).toBeNull();
  });

  it('refuses to train with fewer than two people', () => {
    expect(() =>
      trainSoftmax(
        tf as unknown as Tf,
        samples.filter((s) => s.label === 'ann'),
      ),
    ).toThrow(/at least two people/);
  });
});
