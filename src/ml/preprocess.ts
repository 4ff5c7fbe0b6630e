// Turns decoded pixels into the model's input tensor exactly as the manifest's preprocessing spec says.
// Pure functions: unit-tested against hand-computed values.
import type { InputSpec, PreprocessSpec } from '../shared/manifest';

/** Where the source image lands in the model input. */
export interface Geometry {
  /** Size to resize the whole (oriented) image to. */
  resizeW: number;
  resizeH: number;
  /** Crop offset inside the resized image (shorter-side-crop), or paste offset into the canvas (letterbox). */
  offsetX: number;
  offsetY: number;
  /** Model input size. */
  outW: number;
  outH: number;
  /** resized / original. */
  scale: number;
}

// Python's round() rounds halves to even; torchvision's CenterCrop uses it, so we do too.
const roundHalfEven = (x: number) => {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
};

export function planGeometry(width: number, height: number, spec: InputSpec): Geometry {
  if (spec.mode === 'shorter-side-crop') {
    const short = Math.min(width, height);
    const scale = spec.shorterSide / short;
    // Like torchvision Resize(int): the shorter side is exact, the longer one int(size * long / short).
    // Multiplying before dividing keeps it exact for integers (499 * (256 / 499) is 255.99…).
    const resizeW = width <= height ? spec.shorterSide : Math.floor((spec.shorterSide * width) / short);
    const resizeH = width <= height ? Math.floor((spec.shorterSide * height) / short) : spec.shorterSide;
    return {
      resizeW,
      resizeH,
      offsetX: roundHalfEven((resizeW - spec.crop) / 2),
      offsetY: roundHalfEven((resizeH - spec.crop) / 2),
      outW: spec.crop,
      outH: spec.crop,
      scale,
    };
  }
  if (spec.mode === 'fit') {
    const scale = Math.min(1, spec.maxSide / Math.max(width, height));
    const w = Math.max(1, Math.round(width * scale));
    const h = Math.max(1, Math.round(height * scale));
    return { resizeW: w, resizeH: h, offsetX: 0, offsetY: 0, outW: w, outH: h, scale };
  }
  const scale = Math.min(spec.size / width, spec.size / height);
  const resizeW = roundHalfEven(width * scale);
  const resizeH = roundHalfEven(height * scale);
  // Ultralytics LetterBox: padding split in two, the odd pixel going right/bottom (`+ 0` turns -0 into 0).
  return {
    resizeW,
    resizeH,
    offsetX: roundHalfEven((spec.size - resizeW) / 2 - 0.1) + 0,
    offsetY: roundHalfEven((spec.size - resizeH) / 2 - 0.1) + 0,
    outW: spec.size,
    outH: spec.size,
    scale,
  };
}

/** RGBA pixels (row-major, outW×outH) → float32 NCHW tensor data in the spec's channel order and normalisation. */
export function toTensorData(rgba: Uint8ClampedArray | Uint8Array, w: number, h: number, spec: PreprocessSpec): Float32Array {
  const n = w * h;
  if (rgba.length !== n * 4) throw new Error(`expected ${n * 4} RGBA bytes, got ${rgba.length}`);
  const out = new Float32Array(3 * n);
  const src = spec.channelOrder === 'RGB' ? [0, 1, 2] : [2, 1, 0];
  for (let c = 0; c < 3; c++) {
    const s = src[c];
    const k = spec.scale / spec.std[c];
    const b = -spec.mean[c] / spec.std[c];
    const base = c * n;
    for (let i = 0; i < n; i++) out[base + i] = rgba[i * 4 + s] * k + b;
  }
  return out;
}
