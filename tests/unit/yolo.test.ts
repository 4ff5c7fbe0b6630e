import { describe, expect, it } from 'vitest';
import { planGeometry } from '../../src/ml/preprocess';
import { decodeYolo, iou, nms, toOriginal } from '../../src/ml/yolo';

const box = (x: number, y: number, width: number, height: number, classIndex = 0, score = 0.9) => ({ x, y, width, height, classIndex, score });

describe('iou', () => {
  it('is 1 for identical boxes, 0 for disjoint, hand value for a half overlap', () => {
    expect(iou(box(0, 0, 10, 10), box(0, 0, 10, 10))).toBe(1);
    expect(iou(box(0, 0, 10, 10), box(20, 20, 5, 5))).toBe(0);
    // overlap 5×10 = 50; union 100 + 100 - 50 = 150
    expect(iou(box(0, 0, 10, 10), box(5, 0, 10, 10))).toBeCloseTo(1 / 3, 10);
    expect(iou(box(0, 0, 0, 0), box(0, 0, 0, 0))).toBe(0);
  });
});

describe('nms', () => {
  it('keeps the best of overlapping boxes of one class, keeps other classes and far boxes', () => {
    const kept = nms([box(0, 0, 10, 10, 0, 0.8), box(1, 1, 10, 10, 0, 0.9), box(1, 1, 10, 10, 1, 0.7), box(50, 50, 10, 10, 0, 0.6)], 0.45);
    expect(kept.map((k) => [k.classIndex, k.score])).toEqual([
      [0, 0.9],
      [1, 0.7],
      [0, 0.6],
    ]);
  });
  it('keeps a pair whose overlap is at or below the threshold', () => {
    // iou = 1/3 < 0.45: both stay
    expect(nms([box(0, 0, 10, 10, 0, 0.9), box(5, 0, 10, 10, 0, 0.8)], 0.45)).toHaveLength(2);
    expect(nms([box(0, 0, 10, 10, 0, 0.9), box(5, 0, 10, 10, 0, 0.8)], 0.3)).toHaveLength(1);
  });
  it('stops at max', () => {
    expect(nms([box(0, 0, 1, 1), box(5, 5, 1, 1), box(9, 9, 1, 1)], 0.5, 2)).toHaveLength(2);
  });
});

describe('toOriginal and decodeYolo', () => {
  // bus.jpg is 810×1080: scale 640/1080, resized 480×640, padded 80 px left and right.
  const g = planGeometry(810, 1080, { mode: 'letterbox', size: 640, pad: 114 });
  it('undoes the letterbox and clips to the image', () => {
    expect(g).toMatchObject({ resizeW: 480, resizeH: 640, offsetX: 80, offsetY: 0 });
    const b = toOriginal({ x: 80, y: 0, width: 480, height: 640 }, g, 810, 1080);
    expect(b.x).toBeCloseTo(0);
    expect(b.width).toBeCloseTo(810);
    expect(b.height).toBeCloseTo(1080);
    const clipped = toOriginal({ x: 0, y: -10, width: 100, height: 50 }, g, 810, 1080);
    expect(clipped.x).toBe(0);
    expect(clipped.y).toBe(0);
    expect(clipped.width).toBeCloseTo(20 / g.scale);
  });
  it('decodes a hand-made [1, 6, 3] output (2 classes): threshold, argmax class, NMS, mapping', () => {
    const n = 3;
    // columns: anchor 0 = strong class 1, anchor 1 = duplicate of 0 with lower score, anchor 2 = below threshold
    const cx = [320, 322, 100];
    const cy = [320, 318, 100];
    const w = [100, 100, 10];
    const h = [200, 200, 10];
    const s0 = [0.1, 0.05, 0.2];
    const s1 = [0.9, 0.6, 0.1];
    const data = new Float32Array([...cx, ...cy, ...w, ...h, ...s0, ...s1]);
    const dets = decodeYolo(data, [1, 6, n], ['cat', 'dog'], g, { width: 810, height: 1080 });
    expect(dets).toHaveLength(1);
    expect(dets[0].label).toBe('dog');
    expect(dets[0].score).toBeCloseTo(0.9);
    // x = (320 - 50 - 80) / (640/1080) = 190 * 1.6875 = 320.625; width = 100 * 1.6875
    expect(dets[0].x).toBeCloseTo(320.625, 3);
    expect(dets[0].width).toBeCloseTo(168.75, 3);
    expect(dets[0].y).toBeCloseTo(220 * 1.6875, 3);
    expect(dets[0].height).toBeCloseTo(337.5, 3);
  });
  it('rejects an output of the wrong rank', () => {
    expect(() => decodeYolo(new Float32Array(4), [4], [], g, { width: 1, height: 1 })).toThrow(/unexpected YOLO output shape/);
  });
});
