/// <reference lib="webworker" />
// Faces family worker: human (blazeface + facemesh + faceres) and the tfjs softmax classifier.
import { expose, transfer } from 'comlink';
import { trainSoftmax, type Tf } from '../ml/faces/classifier';
import { faceCrop } from '../shared/face-crop';
import { FaceEngine } from '../ml/faces/engine';
import type { FacesApi, FaceStats } from './faces-api';
import { outcome } from './outcome';

let engine: FaceEngine | null = null;
let frameCanvas: OffscreenCanvas | null = null;

function ready(): FaceEngine {
  if (!engine?.info) throw new Error('faces worker used before init');
  return engine;
}

function stats(e: FaceEngine): FaceStats {
  const m = e.human.tf.engine().memory();
  return { tensors: m.numTensors, tensorBytes: m.numBytes };
}

const api: FacesApi = {
  init: (pref, origin, threads) =>
    outcome(async () => {
      engine ??= new FaceEngine(origin);
      return engine.init(pref, threads);
    }, 'model-missing'),

  detectStill: async (rgba, width, height, scale) => {
    const res = await outcome(async () => {
      const e = ready();
      const t0 = performance.now();
      const found = await e.detect(rgba, width, height, scale, 'still');
      const ms = performance.now() - t0;
      const bitmap = await createImageBitmap(new ImageData(new Uint8ClampedArray(rgba.buffer as ArrayBuffer, rgba.byteOffset, rgba.length), width, height));
      try {
        const faces = [];
        for (const f of found) {
          const b = f.box.map((v) => v * scale) as typeof f.box;
          faces.push({ ...f, crop: await faceCrop(bitmap, b) });
        }
        return { faces, ms };
      } finally {
        bitmap.close();
      }
    }, 'inference-failed');
    return res.ok
      ? transfer(
          res,
          res.value.faces.map((f) => f.descriptor.buffer as ArrayBuffer),
        )
      : res;
  },

  detectFrame: (frame) =>
    outcome(async () => {
      const e = ready();
      const t0 = performance.now();
      const { width, height } = frame;
      if (!frameCanvas || frameCanvas.width !== width || frameCanvas.height !== height) frameCanvas = new OffscreenCanvas(width, height);
      const ctx = frameCanvas.getContext('2d', { willReadFrequently: true })!;
      ctx.drawImage(frame, 0, 0);
      frame.close();
      const rgba = ctx.getImageData(0, 0, width, height).data;
      const faces = await e.detect(rgba, width, height, 1, 'video');
      return { faces, ms: performance.now() - t0, stats: stats(e) };
    }, 'inference-failed'),

  train: (samples) => outcome(async () => trainSoftmax(ready().human.tf as unknown as Tf, samples), 'inference-failed'),

  stats: async () => stats(ready()),

  crash() {
    setTimeout(() => {
      throw new Error('simulated crash');
    });
  },
};

expose(api);
