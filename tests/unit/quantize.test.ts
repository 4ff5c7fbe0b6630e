// The int8 quantizer (scripts/lib/quantize) on a small ResNet-shaped model built here (Conv, Relu, MaxPool, a residual
// Add, GlobalAveragePool, Flatten, Gemm, Softmax), calibrated and run with onnxruntime-node: deterministic bytes,
// outputs close to float, and clear errors for models and recipes it cannot handle.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { calibrate, rangesFrom } from '../../scripts/lib/quantize/calibrate';
import { DT, encodeModel, node, onnx, tensor } from '../../scripts/lib/quantize/onnx';
import { activationParams, quantizeQdq, quantizeWeights } from '../../scripts/lib/quantize/qdq';
import { buildFromRecipe } from '../../scripts/lib/quantize/recipe';

/** Deterministic pseudo-random numbers in [-1, 1). */
function rand(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 31 - 1);
}

const io = (name: string, dims: (number | string)[]) =>
  onnx.ValueInfoProto.create({
    name,
    type: onnx.TypeProto.create({
      tensorType: onnx.TypeProto.Tensor.create({
        elemType: DT.FLOAT,
        shape: onnx.TensorShapeProto.create({ dim: dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) }),
      }),
    }),
  });

/** input [N,3,8,8] → conv 3×3 → relu → maxpool → (conv 1×1 → relu → conv 1×1) + shortcut → relu → gap → fc(5) → softmax. */
function tinyNet(extra: ReturnType<typeof node>[] = []): Uint8Array {
  const f = (name: string, dims: number[], seed: number, scale = 0.5) =>
    tensor(
      name,
      DT.FLOAT,
      dims,
      rand(
        dims.reduce((a, b) => a * b),
        seed,
      ).map((v) => v * scale),
    );
  const graph = onnx.GraphProto.create({
    name: 'tiny',
    input: [io('input', ['N', 3, 8, 8])],
    output: [io('probs', ['N', 5]), io('features', ['N', 4])],
    initializer: [
      f('c1_W', [4, 3, 3, 3], 1),
      f('c1_B', [4], 2),
      f('c2_W', [4, 4, 1, 1], 3),
      f('c2_B', [4], 4),
      f('c3_W', [4, 4, 1, 1], 5),
      f('c3_B', [4], 6),
      f('fc_W', [5, 4], 7),
      f('fc_B', [5], 8),
    ],
    node: [
      node('Conv', ['input', 'c1_W', 'c1_B'], ['c1'], 'conv1', { kernel_shape: [3, 3], pads: [1, 1, 1, 1] }),
      node('Relu', ['c1'], ['a1'], 'relu1'),
      node('MaxPool', ['a1'], ['p1'], 'pool', { kernel_shape: [2, 2], strides: [2, 2] }),
      node('Conv', ['p1', 'c2_W', 'c2_B'], ['c2'], 'conv2', { kernel_shape: [1, 1] }),
      node('Relu', ['c2'], ['a2'], 'relu2'),
      node('Conv', ['a2', 'c3_W', 'c3_B'], ['c3'], 'conv3', { kernel_shape: [1, 1] }),
      node('Add', ['c3', 'p1'], ['s'], 'add'),
      node('Relu', ['s'], ['a3'], 'relu3'),
      ...extra,
      node('GlobalAveragePool', ['a3'], ['g'], 'gap'),
      node('Flatten', ['g'], ['features'], 'flatten', { axis: 1 }),
      node('Gemm', ['features', 'fc_W', 'fc_B'], ['logits'], 'fc', { transB: 1 }),
      node('Softmax', ['logits'], ['probs'], 'softmax', { axis: -1 }),
    ],
  });
  return encodeModel(onnx.ModelProto.create({ irVersion: 7, opsetImport: [{ domain: '', version: 13 }], graph }));
}

const images = Array.from({ length: 12 }, (_, i) => ({ name: `img${i}`, data: rand(3 * 64, 100 + i).map((v) => v * 3), dims: [1, 3, 8, 8] }));
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

async function run(model: Uint8Array, x: Float32Array): Promise<Float32Array> {
  const s = await ort.InferenceSession.create(model, { graphOptimizationLevel: 'all' });
  try {
    return (await s.run({ input: new ort.Tensor('float32', x, [x.length / 192, 3, 8, 8]) })).probs.data as Float32Array;
  } finally {
    await s.release();
  }
}

describe('quantizeQdq on a small residual CNN', async () => {
  const fp32 = tinyNet();
  const cal = await calibrate(fp32, images);
  const ranges = rangesFrom(cal.ranges, 'minmax');
  const means = Object.fromEntries([...cal.means].map(([k, v]) => [k, [...v]]));

  it('gives the same bytes every time, and other bytes for other ranges', () => {
    const a = quantizeQdq(fp32, { ranges, means }, { metadata: { source: 'tiny' } });
    const b = quantizeQdq(fp32, { ranges, means }, { metadata: { source: 'tiny' } });
    expect(sha(a)).toBe(sha(b));
    expect(sha(quantizeQdq(fp32, { ranges: rangesFrom(cal.ranges, 'mean-minmax'), means }, { metadata: {} }))).not.toBe(sha(a));
  });

  it('runs in onnxruntime with int8 weights, a dynamic batch, and probabilities close to float', async () => {
    for (const floatResidual of [false, true]) {
      const q = quantizeQdq(fp32, { ranges, means }, { metadata: {}, floatResidual });
      const m = onnx.ModelProto.decode(q);
      expect(m.graph!.initializer!.find((t) => t.name === 'c1_W__q')!.dataType).toBe(DT.INT8);
      expect(m.graph!.node!.some((n) => n.opType === 'Relu')).toBe(floatResidual);
      const x = new Float32Array([...images[0].data, ...images[5].data, ...images[11].data]);
      const [pf, pq] = [await run(fp32, x), await run(q, x)];
      expect(pq).toHaveLength(15);
      for (let i = 0; i < pf.length; i++) expect(Math.abs(pf[i] - pq[i])).toBeLessThan(0.05);
    }
  });

  it('refuses an operator it does not know, a tensor without a range, and bytes that are not ONNX', () => {
    const withSigmoid = tinyNet([node('Sigmoid', ['a3'], ['sg'], 'odd')]);
    expect(() => quantizeQdq(withSigmoid, { ranges, means }, { metadata: {} })).toThrow("Sigmoid node 'odd': operator Sigmoid is not supported");
    const missing = { ...ranges };
    delete missing.a2;
    expect(() => quantizeQdq(fp32, { ranges: missing, means }, { metadata: {} })).toThrow("no calibrated range for tensor 'a2'");
    expect(() => quantizeQdq(new TextEncoder().encode('<!doctype html><p>not a model'), { ranges }, { metadata: {} })).toThrow(/not an ONNX model|no graph/);
  });

  it('bias correction needs one mean per input channel', () => {
    expect(() => quantizeQdq(fp32, { ranges, means: { ...means, p1: [1, 2] } }, { metadata: {} })).toThrow('2 channel means for a conv with 4 input channels');
  });
});

describe('quantization arithmetic', () => {
  it('activation parameters always represent 0 exactly', () => {
    expect(activationParams([0, 25.5])).toEqual({ scale: Math.fround(0.1), zp: 0 });
    const p = activationParams([-10, 15.5]);
    expect(p.zp).toBe(100);
    expect(activationParams([2, 3]).zp).toBe(0); // widened to [0, 3]
    expect(activationParams([0, 0])).toEqual({ scale: 1, zp: 0 });
  });

  it('weights: symmetric per output channel, the largest magnitude maps to ±127', () => {
    const { q, scales } = quantizeWeights(new Float32Array([0.5, -1, 0.25, 0, 0, 0]), 2);
    expect([...q]).toEqual([64, -127, 32, 0, 0, 0]);
    expect(scales[0]).toBeCloseTo(1 / 127, 9);
    expect(scales[1]).toBe(1); // an all-zero channel keeps a usable scale
  });
});

describe('buildFromRecipe', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sightline-recipe-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, body: string) => {
    const f = path.join(dir, name);
    writeFileSync(f, body);
    return f;
  };
  const fp32 = tinyNet();

  it('refuses a source other than the one the ranges were measured on', () => {
    const recipe = write(
      'r.json',
      JSON.stringify({ kind: 'qdq-int8', source: { id: 'x', file: 'x.onnx', sha256: 'a'.repeat(64) }, calibration: {}, ranges: {} }),
    );
    expect(() => buildFromRecipe(recipe, fp32, 'b'.repeat(64))).toThrow(/was calibrated on x\.onnx with sha256 aaaaaaaaaaaa…, got bbbbbbbbbbbb…/);
  });

  it('a recipe that is not JSON, of another kind, or without ranges', () => {
    expect(() => buildFromRecipe(write('bad.json', '{ranges: oops'), fp32, '')).toThrow(/bad\.json cannot be read/);
    expect(() => buildFromRecipe(write('kind.json', JSON.stringify({ kind: 'fp16' })), fp32, '')).toThrow('unknown kind "fp16"');
    expect(() => buildFromRecipe(write('nor.json', JSON.stringify({ kind: 'qdq-int8', source: { sha256: 'c'.repeat(64) } })), fp32, '')).toThrow(
      'ranges are missing',
    );
  });
});
