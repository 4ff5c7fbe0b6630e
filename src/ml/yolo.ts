// YOLOv8 output decoding: [1, 4 + C, N] with cx, cy, w, h in input pixels and C sigmoid class scores
// (no objectness), then class-wise non-maximum suppression, then boxes mapped back to the original image.
import { YOLO_DEFAULTS, type YoloOptions } from '../shared/yolo-options';
import type { Geometry } from './preprocess';

export { YOLO_DEFAULTS, type YoloOptions };

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}
export interface Detection extends Box {
  classIndex: number;
  label: string;
  score: number;
}

export function iou(a: Box, b: Box): number {
  const x1 = Math.max(a.x, b.x);
  const y1 = Math.max(a.y, b.y);
  const x2 = Math.min(a.x + a.width, b.x + b.width);
  const y2 = Math.min(a.y + a.height, b.y + b.height);
  const inter = Math.max(0, x2 - x1) * Math.max(0, y2 - y1);
  const union = a.width * a.height + b.width * b.height - inter;
  return union > 0 ? inter / union : 0;
}

/** Greedy NMS within each class: highest score first, drop boxes overlapping a kept one above `threshold`. */
export function nms<T extends Box & { classIndex: number; score: number }>(boxes: T[], threshold: number, max = Infinity): T[] {
  const sorted = [...boxes].sort((a, b) => b.score - a.score);
  const kept: T[] = [];
  for (const b of sorted) {
    if (kept.length >= max) break;
    if (!kept.some((k) => k.classIndex === b.classIndex && iou(k, b) > threshold)) kept.push(b);
  }
  return kept;
}

/** Input-pixel box → original-image box (undo letterbox offset and scale), clipped to the image. */
export function toOriginal(b: Box, g: Geometry, width: number, height: number): Box {
  const x1 = Math.min(width, Math.max(0, (b.x - g.offsetX) / g.scale));
  const y1 = Math.min(height, Math.max(0, (b.y - g.offsetY) / g.scale));
  const x2 = Math.min(width, Math.max(0, (b.x + b.width - g.offsetX) / g.scale));
  const y2 = Math.min(height, Math.max(0, (b.y + b.height - g.offsetY) / g.scale));
  return { x: x1, y: y1, width: x2 - x1, height: y2 - y1 };
}

/** `data` is the flat [1, 4 + C, N] output; returns detections in original-image pixels. */
export function decodeYolo(
  data: Float32Array,
  dims: readonly number[],
  labels: readonly string[],
  g: Geometry,
  size: { width: number; height: number },
  opts: YoloOptions = YOLO_DEFAULTS,
): Detection[] {
  const [, rows, n] = dims;
  const classes = rows - 4;
  if (dims.length !== 3 || classes < 1) throw new Error(`unexpected YOLO output shape [${dims.join(', ')}]`);
  const candidates: Detection[] = [];
  for (let i = 0; i < n; i++) {
    let best = 0;
    let cls = -1;
    for (let c = 0; c < classes; c++) {
      const s = data[(4 + c) * n + i];
      if (s > best) {
        best = s;
        cls = c;
      }
    }
    if (best < opts.scoreThreshold) continue;
    const cx = data[i];
    const cy = data[n + i];
    const w = data[2 * n + i];
    const h = data[3 * n + i];
    candidates.push({ x: cx - w / 2, y: cy - h / 2, width: w, height: h, classIndex: cls, label: labels[cls] ?? `class ${cls}`, score: best });
  }
  return nms(candidates, opts.iouThreshold, opts.maxDetections).map((d) => ({ ...d, ...toOriginal(d, g, size.width, size.height) }));
}
