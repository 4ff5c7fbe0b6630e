// An independent reference for detection accuracy: onnxruntime-node with plain letterbox code (jpeg-js decode,
// bilinear resize like OpenCV's INTER_LINEAR, grey 114 padding) and its own decode + NMS, plus the metric.
import jpeg from 'jpeg-js';
import * as ort from 'onnxruntime-node';
import { readFileSync } from 'node:fs';

export interface RefBox {
  label: string;
  score: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Pixels {
  width: number;
  height: number;
  data: Uint8Array | Uint8ClampedArray;
}
export const decodeJpeg = (file: string): Pixels => jpeg.decode(readFileSync(file), { useTArray: true, formatAsRGBA: true });

function letterbox(img: Pixels, size: number): { data: Float32Array; r: number; left: number; top: number; w: number; h: number } {
  const { width: w, height: h, data: px } = img;
  const r = Math.min(size / w, size / h);
  const nw = Math.round(w * r);
  const nh = Math.round(h * r);
  const left = Math.round((size - nw) / 2 - 0.1);
  const top = Math.round((size - nh) / 2 - 0.1);
  const out = new Float32Array(3 * size * size).fill(114 / 255);
  const plane = size * size;
  for (let y = 0; y < nh; y++) {
    const sy = Math.min(h - 1, Math.max(0, (y + 0.5) * (h / nh) - 0.5));
    const y0 = Math.floor(sy);
    const y1 = Math.min(h - 1, y0 + 1);
    const fy = sy - y0;
    for (let x = 0; x < nw; x++) {
      const sx = Math.min(w - 1, Math.max(0, (x + 0.5) * (w / nw) - 0.5));
      const x0 = Math.floor(sx);
      const x1 = Math.min(w - 1, x0 + 1);
      const fx = sx - x0;
      for (let c = 0; c < 3; c++) {
        const v =
          px[(y0 * w + x0) * 4 + c] * (1 - fx) * (1 - fy) +
          px[(y0 * w + x1) * 4 + c] * fx * (1 - fy) +
          px[(y1 * w + x0) * 4 + c] * (1 - fx) * fy +
          px[(y1 * w + x1) * 4 + c] * fx * fy;
        out[c * plane + (y + top) * size + (x + left)] = Math.round(v) / 255;
      }
    }
  }
  return { data: out, r, left, top, w, h };
}

const area = (b: RefBox) => b.width * b.height;
export function iou(a: RefBox, b: RefBox): number {
  const ix = Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x));
  const iy = Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y));
  const inter = ix * iy;
  return inter / (area(a) + area(b) - inter || 1);
}

/** `pixels` decodes a file to RGBA: jpeg-js by default, or the browser's own decoder to leave decoder differences out. */
export async function referenceDetect(
  modelPath: string,
  files: string[],
  size: number,
  labels: string[],
  pixels: (file: string) => Promise<Pixels> | Pixels = decodeJpeg,
  conf = 0.25,
  iouT = 0.45,
): Promise<Map<string, RefBox[]>> {
  const session = await ort.InferenceSession.create(modelPath, { intraOpNumThreads: 2 });
  const results = new Map<string, RefBox[]>();
  for (const file of files) {
    const lb = letterbox(await pixels(file), size);
    const out = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', lb.data, [1, 3, size, size]) });
    const t = out[session.outputNames[0]];
    const [, rows, n] = t.dims as number[];
    const d = t.data as Float32Array;
    const cands: RefBox[] = [];
    for (let i = 0; i < n; i++) {
      let best = 0;
      let cls = 0;
      for (let c = 4; c < rows; c++) if (d[c * n + i] > best) [best, cls] = [d[c * n + i], c - 4];
      if (best <= conf) continue;
      const [cx, cy, bw, bh] = [d[i], d[n + i], d[2 * n + i], d[3 * n + i]];
      const x1 = Math.max(0, (cx - bw / 2 - lb.left) / lb.r);
      const y1 = Math.max(0, (cy - bh / 2 - lb.top) / lb.r);
      const x2 = Math.min(lb.w, (cx + bw / 2 - lb.left) / lb.r);
      const y2 = Math.min(lb.h, (cy + bh / 2 - lb.top) / lb.r);
      cands.push({ label: labels[cls], score: best, x: x1, y: y1, width: x2 - x1, height: y2 - y1 });
    }
    cands.sort((a, b) => b.score - a.score);
    const kept: RefBox[] = [];
    for (const c of cands) if (!kept.some((k) => k.label === c.label && iou(k, c) > iouT)) kept.push(c);
    results.set(file.split('/').pop()!, kept);
  }
  return results;
}

/** Precision and recall at IoU 0.5: greedy by score, same class, each ground-truth box matched once. */
export function precisionRecall(
  pred: Map<string, RefBox[]>,
  truth: Map<string, RefBox[]>,
): { precision: number; recall: number; tp: number; preds: number; gts: number } {
  let tp = 0;
  let preds = 0;
  let gts = 0;
  for (const [file, gt] of truth) {
    const p = [...(pred.get(file) ?? [])].sort((a, b) => b.score - a.score);
    preds += p.length;
    gts += gt.length;
    const used = new Set<number>();
    for (const b of p) {
      let best = -1;
      let bestIou = 0.5;
      gt.forEach((g, i) => {
        if (used.has(i) || g.label !== b.label) return;
        const v = iou(b, g);
        if (v >= bestIou) [best, bestIou] = [i, v];
      });
      if (best >= 0) {
        used.add(best);
        tp++;
      }
    }
  }
  return { precision: preds ? tp / preds : 0, recall: gts ? tp / gts : 0, tp, preds, gts };
}
