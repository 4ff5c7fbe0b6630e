import { describe, expect, it } from 'vitest';
import { planGeometry, toTensorData, type Geometry } from '../../src/ml/preprocess';
import type { PreprocessSpec } from '../../src/shared/manifest';
import { loadManifest } from './paths';

const crop = { mode: 'shorter-side-crop', shorterSide: 256, crop: 224 } as const;
const letterbox = { mode: 'letterbox', size: 640, pad: 114 } as const;

// Letterbox offsets come from Math.round(-0.1), i.e. -0; compare numerically, not with Object.is.
const plain = (g: Geometry) => ({ ...g, offsetX: g.offsetX + 0, offsetY: g.offsetY + 0 });

describe('planGeometry, shorter-side-crop 256/224 (torchvision Resize(256) + CenterCrop(224))', () => {
  it('landscape 500x375: shorter side to 256, longer side truncated, centred crop', () => {
    // 500 * 256/375 = 341.33 -> 341; (341-224)/2 = 58.5 -> 58 (half to even); (256-224)/2 = 16
    expect(planGeometry(500, 375, crop)).toEqual({ resizeW: 341, resizeH: 256, offsetX: 58, offsetY: 16, outW: 224, outH: 224, scale: 256 / 375 });
  });

  it('portrait 375x500 is the transpose of landscape', () => {
    expect(planGeometry(375, 500, crop)).toEqual({ resizeW: 256, resizeH: 341, offsetX: 16, offsetY: 58, outW: 224, outH: 224, scale: 256 / 375 });
  });

  it('odd portrait 333x500 and 413x580', () => {
    // 500 * 256/333 = 384.38 -> 384; (384-224)/2 = 80
    expect(planGeometry(333, 500, crop)).toMatchObject({ resizeW: 256, resizeH: 384, offsetX: 16, offsetY: 80 });
    // 580 * 256/413 = 359.5 -> 359; (359-224)/2 = 67.5 -> 68 (68 is even)
    expect(planGeometry(413, 580, crop)).toMatchObject({ resizeW: 256, resizeH: 359, offsetX: 16, offsetY: 68 });
  });

  it('square images become 256x256 with a 16-pixel crop margin', () => {
    for (const s of [224, 256, 1000]) {
      expect(planGeometry(s, s, crop), `${s}x${s}`).toEqual({ resizeW: 256, resizeH: 256, offsetX: 16, offsetY: 16, outW: 224, outH: 224, scale: 256 / s });
    }
  });

  it('common camera sizes', () => {
    // 640 * 256/480 = 341.33; 1920 * 256/1080 = 455.1 -> 455, (455-224)/2 = 115.5 -> 116; 4032x3024 is 4:3 like 640x480
    expect(planGeometry(640, 480, crop)).toMatchObject({ resizeW: 341, resizeH: 256, offsetX: 58, offsetY: 16, scale: 256 / 480 });
    expect(planGeometry(1920, 1080, crop)).toMatchObject({ resizeW: 455, resizeH: 256, offsetX: 116, offsetY: 16 });
    expect(planGeometry(4032, 3024, crop)).toMatchObject({ resizeW: 341, resizeH: 256, offsetX: 58, offsetY: 16 });
  });

  it('the crop offset rounds halves to even, like Python round() in torchvision', () => {
    // Shorter side already 256 (scale 1): the offset is (w-224)/2.
    expect(planGeometry(339, 256, crop).offsetX).toBe(58); // 57.5 -> 58
    expect(planGeometry(341, 256, crop).offsetX).toBe(58); // 58.5 -> 58 (Math.round would say 59)
    expect(planGeometry(343, 256, crop).offsetX).toBe(60); // 59.5 -> 60
    expect(planGeometry(340, 256, crop).offsetX).toBe(58); // exact
    // Portrait: 256 * 256/225 = 291.27 -> 291, (291-224)/2 = 33.5 -> 34
    expect(planGeometry(225, 256, crop)).toMatchObject({ resizeW: 256, resizeH: 291, offsetX: 16, offsetY: 34 });
  });

  it('upscales small images', () => {
    expect(planGeometry(10, 20, crop)).toMatchObject({ resizeW: 256, resizeH: 512, offsetX: 16, offsetY: 144, scale: 25.6 });
    expect(planGeometry(3, 2, crop)).toMatchObject({ resizeW: 384, resizeH: 256, offsetX: 80, offsetY: 16, scale: 128 });
  });

  it('the crop window always lies inside the resized image', () => {
    for (const [w, h] of [
      [500, 375],
      [106, 150],
      [909, 768],
      [496, 280],
      [1, 1],
      [5000, 300],
    ]) {
      const g = planGeometry(w, h, crop);
      expect(Math.min(g.resizeW, g.resizeH), `${w}x${h}`).toBe(256);
      expect(g.offsetX).toBeGreaterThanOrEqual(0);
      expect(g.offsetY).toBeGreaterThanOrEqual(0);
      expect(g.offsetX + 224).toBeLessThanOrEqual(g.resizeW);
      expect(g.offsetY + 224).toBeLessThanOrEqual(g.resizeH);
    }
  });
});

describe('planGeometry, letterbox (Ultralytics LetterBox)', () => {
  it('portrait 810x1080 into 640: 480x640, padded left and right by 80', () => {
    // scale = min(640/810, 640/1080) = 0.5926; 810 * 0.5926 = 480; pad (640-480)/2 = 80
    expect(plain(planGeometry(810, 1080, letterbox))).toEqual({ resizeW: 480, resizeH: 640, offsetX: 80, offsetY: 0, outW: 640, outH: 640, scale: 640 / 1080 });
  });

  it('landscape 1280x720 into 640: 640x360, padded top and bottom by 140', () => {
    expect(plain(planGeometry(1280, 720, letterbox))).toEqual({ resizeW: 640, resizeH: 360, offsetX: 0, offsetY: 140, outW: 640, outH: 640, scale: 0.5 });
  });

  it('an odd padding puts the extra pixel at the bottom/right', () => {
    // 1000x999: scale 0.64, 639.36 -> 639 rows, 1 pixel of padding: round(0.5 - 0.1) = 0 on top, 1 below
    expect(plain(planGeometry(1000, 999, letterbox))).toMatchObject({ resizeW: 640, resizeH: 639, offsetX: 0, offsetY: 0 });
    // 999x1000 -> 639 columns, none on the left
    expect(plain(planGeometry(999, 1000, letterbox))).toMatchObject({ resizeW: 639, resizeH: 640, offsetX: 0, offsetY: 0 });
    // 3 pixels of padding: round(1.5 - 0.1) = 1 before, 2 after. 640x637 needs scale 1.
    expect(plain(planGeometry(640, 637, letterbox))).toMatchObject({ resizeW: 640, resizeH: 637, offsetY: 1, scale: 1 });
  });

  it('upscales small images and works for the 416 model', () => {
    expect(plain(planGeometry(100, 50, letterbox))).toMatchObject({ resizeW: 640, resizeH: 320, offsetX: 0, offsetY: 160, scale: 6.4 });
    expect(plain(planGeometry(640, 480, { mode: 'letterbox', size: 416, pad: 114 }))).toEqual({
      resizeW: 416,
      resizeH: 312,
      offsetX: 0,
      offsetY: 52,
      outW: 416,
      outH: 416,
      scale: 0.65,
    });
  });
});

describe('toTensorData', () => {
  const byId = (id: string) => loadManifest().models.find((m) => m.id === id)!.preprocess;
  // Two pixels: (R,G,B,A) = (10,20,30,255) and (200,100,50,0). Alpha must be ignored.
  const rgba = new Uint8ClampedArray([10, 20, 30, 255, 200, 100, 50, 0]);

  it('caffe spec (Keras ResNet50): BGR planes, mean subtracted, no scaling', () => {
    const spec = byId('resnet50-keras-fp16w');
    expect(spec).toMatchObject({ channelOrder: 'BGR', scale: 1, mean: [103.939, 116.779, 123.68], std: [1, 1, 1] });
    const out = toTensorData(rgba, 2, 1, spec);
    expect(out).toBeInstanceOf(Float32Array);
    // B plane (pixel 0, pixel 1): 30-103.939, 50-103.939; G plane: 20-116.779, 100-116.779; R plane: 10-123.68, 200-123.68
    expect(out.length).toBe(6);
    [-73.939, -53.939, -96.779, -16.779, -113.68, 76.32].forEach((v, i) => expect(out[i], `out[${i}]`).toBeCloseTo(v, 4));
  });

  it('torchvision spec (MobileNetV2): RGB planes, /255, ImageNet mean and std', () => {
    const spec = byId('mobilenetv2-12-int8');
    expect(spec).toMatchObject({ channelOrder: 'RGB', mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] });
    expect(spec.scale).toBeCloseTo(1 / 255, 12);
    const out = toTensorData(rgba, 2, 1, spec);
    // R: (10/255 - 0.485)/0.229 = -1.946656, (200/255 - 0.485)/0.229 = 1.307047
    // G: (20/255 - 0.456)/0.224 = -1.685574, (100/255 - 0.456)/0.224 = -0.285014
    // B: (30/255 - 0.406)/0.225 = -1.281569, (50/255 - 0.406)/0.225 = -0.932985
    const expected = [-1.946656, 1.307047, -1.685574, -0.285014, -1.281569, -0.932985];
    expect(out.length).toBe(6);
    expected.forEach((v, i) => expect(out[i], `out[${i}]`).toBeCloseTo(v, 5));
  });

  it('YOLO spec maps 0..255 to 0..1 in RGB order', () => {
    const spec = byId('yolov8n-int8-640');
    const out = toTensorData(new Uint8Array([0, 255, 51, 255]), 1, 1, spec);
    expect(Array.from(out)).toEqual([0, 1, expect.closeTo(0.2, 6)]);
  });

  it('lays out a 2x2 image as NCHW planes in row-major order', () => {
    const spec: PreprocessSpec = { resize: crop, channelOrder: 'RGB', scale: 1, mean: [0, 0, 0], std: [1, 1, 1] };
    // pixel i has R = i, G = 10 + i, B = 20 + i
    const px = new Uint8Array([0, 10, 20, 255, 1, 11, 21, 255, 2, 12, 22, 255, 3, 13, 23, 255]);
    expect(Array.from(toTensorData(px, 2, 2, spec))).toEqual([0, 1, 2, 3, 10, 11, 12, 13, 20, 21, 22, 23]);
    expect(Array.from(toTensorData(px, 2, 2, { ...spec, channelOrder: 'BGR' }))).toEqual([20, 21, 22, 23, 10, 11, 12, 13, 0, 1, 2, 3]);
  });

  it('rejects a buffer whose length does not match w*h*4', () => {
    const spec = byId('resnet50-keras-fp16w');
    expect(() => toTensorData(new Uint8Array(7), 2, 1, spec)).toThrow('expected 8 RGBA bytes, got 7');
    expect(() => toTensorData(new Uint8Array(12), 2, 1, spec)).toThrow('expected 8 RGBA bytes, got 12');
    expect(() => toTensorData(new Uint8Array(6), 2, 1, spec)).toThrow(/expected 8/); // RGB without alpha
  });
});

describe('regressions: exact integer resize and Python-style rounding', () => {
  it('keeps square and 3:2 sizes exact where float division would lose a pixel', () => {
    expect(planGeometry(499, 499, crop)).toMatchObject({ resizeW: 256, resizeH: 256, offsetX: 16, offsetY: 16 });
    expect(planGeometry(1176, 784, crop)).toMatchObject({ resizeW: 384, resizeH: 256 });
    expect(planGeometry(588, 392, crop).resizeW).toBe(384);
  });
  it('letterbox rounds halves to even like Ultralytics (Python round) and never returns -0', () => {
    // 721 * 0.5 = 360.5 → 360 (half to even); padding (640-360)/2 - 0.1 = 139.9 → 140.
    const g = planGeometry(1280, 721, letterbox);
    expect(g).toMatchObject({ resizeW: 640, resizeH: 360, offsetX: 0, offsetY: 140 });
    expect(Object.is(g.offsetX, -0)).toBe(false);
  });
});
