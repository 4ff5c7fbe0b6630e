// The dev photos for calibrating and checking a quantized classifier, decoded and preprocessed in Node (jpeg-js;
// shorter side to 256 with an antialiased bilinear filter like PIL's, centre crop 224, caffe BGR means).
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import jpeg from 'jpeg-js';

/** The folders of ../shared/data with photos (the others hold broken files or no images). */
export const DEV_FOLDERS = ['imagenet', 'coco/images', 'exif', 'faces', 'faces-more'];

function walk(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((f) => {
      const p = path.join(dir, f);
      return statSync(p).isDirectory() ? walk(p) : [p];
    });
}

/** Every dev photo under `data` (relative paths, sorted), by extension. */
export function devPhotos(data: string, exts = /\.(jpe?g|png)$/i): string[] {
  return DEV_FOLDERS.flatMap((d) => walk(path.join(data, d)))
    .filter((f) => exts.test(f))
    .map((f) => path.relative(data, f));
}

/**
 * A fixed split of the dev photos by a hash of their path: 'calibration' (about half) measures the activation ranges,
 * 'held-out' is never used for that, so agreement there shows how the ranges generalise.
 */
export const splitOf = (rel: string): 'calibration' | 'held-out' => (createHash('sha256').update(rel).digest()[0] < 128 ? 'calibration' : 'held-out');

/** Separable antialiased bilinear resize (triangle filter widened by the scale factor, as PIL does) of RGB floats. */
function resizeAxis(src: Float32Array, w: number, h: number, outLen: number, horizontal: boolean): Float32Array {
  const inLen = horizontal ? w : h;
  const scale = inLen / outLen;
  const support = Math.max(scale, 1);
  const out = new Float32Array(horizontal ? outLen * h * 3 : w * outLen * 3);
  for (let o = 0; o < outLen; o++) {
    const centre = (o + 0.5) * scale;
    const lo = Math.max(0, Math.floor(centre - support));
    const hi = Math.min(inLen, Math.ceil(centre + support));
    const weights: number[] = [];
    let sum = 0;
    for (let i = lo; i < hi; i++) {
      const wt = Math.max(0, 1 - Math.abs((i + 0.5 - centre) / support));
      weights.push(wt);
      sum += wt;
    }
    const lines = horizontal ? h : w;
    for (let l = 0; l < lines; l++) {
      for (let c = 0; c < 3; c++) {
        let v = 0;
        for (let i = lo; i < hi; i++) v += weights[i - lo] * (horizontal ? src[(l * w + i) * 3 + c] : src[(i * w + l) * 3 + c]);
        out[(horizontal ? l * outLen + o : o * w + l) * 3 + c] = v / sum;
      }
    }
  }
  return out;
}

/** A JPEG as the Keras ResNet50's input: float32 [3, 224, 224], BGR minus the caffe means. */
export function caffeInput(file: string): Float32Array {
  const img = jpeg.decode(readFileSync(file), { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: 1024 });
  const { width: w, height: h } = img;
  const rgb = new Float32Array(w * h * 3);
  for (let i = 0; i < w * h; i++) for (let c = 0; c < 3; c++) rgb[i * 3 + c] = img.data[i * 4 + c];
  const short = Math.min(w, h);
  const rw = w <= h ? 256 : Math.floor((256 * w) / short);
  const rh = w <= h ? Math.floor((256 * h) / short) : 256;
  const resized = resizeAxis(resizeAxis(rgb, w, h, rw, true), rw, h, rh, false);
  const ox = Math.round((rw - 224) / 2);
  const oy = Math.round((rh - 224) / 2);
  const mean = [103.939, 116.779, 123.68];
  const out = new Float32Array(3 * 224 * 224);
  for (let y = 0; y < 224; y++)
    for (let x = 0; x < 224; x++)
      for (let c = 0; c < 3; c++) {
        const v = Math.round(resized[((y + oy) * rw + x + ox) * 3 + (2 - c)]);
        out[c * 224 * 224 + y * 224 + x] = v - mean[c];
      }
  return out;
}
