// Decoding in a worker: header checks first, then createImageBitmap (which applies EXIF orientation),
// then resizing with the browser's high-quality filter and drawing into the model's input geometry.
import type { InputSpec } from '../../shared/manifest';
import { SightlineError } from '../../shared/types';
import { planGeometry, type Geometry } from '../preprocess';
import type { ImageFacts } from '../../shared/metadata';
import { dhash, histogram, palette } from './facts';
import { DEFAULT_LIMITS, sniffImage, type ImageLimits, type Sniffed } from './sniff';

export interface Decoded {
  sniffed: Sniffed;
  sha256: string;
  /** Oriented size. */
  width: number;
  height: number;
  bitmap: ImageBitmap;
}

export async function sha256Hex(bytes: BufferSource): Promise<string> {
  const d = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(d, (x) => x.toString(16).padStart(2, '0')).join('');
}

export async function decode(bytes: Uint8Array<ArrayBuffer>, limits: ImageLimits = DEFAULT_LIMITS): Promise<Decoded> {
  const sniffed = sniffImage(bytes, limits);
  const sha256 = await sha256Hex(bytes);
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(new Blob([bytes]), { imageOrientation: 'from-image' });
  } catch (e) {
    throw new SightlineError(
      'decode-failed',
      `the browser could not decode this ${sniffed.format.toUpperCase()} (${(e as Error).message || 'invalid image data'})`,
    );
  }
  return { sniffed, sha256, width: bitmap.width, height: bitmap.height, bitmap };
}

function canvas2d(w: number, h: number): OffscreenCanvasRenderingContext2D {
  const ctx = new OffscreenCanvas(w, h).getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new SightlineError('decode-failed', 'no 2D canvas available in this worker');
  return ctx;
}

/** Pixels for a model input: RGBA bytes of outW×outH plus the geometry used (to map results back). */
export async function modelInputPixels(bitmap: ImageBitmap, spec: InputSpec): Promise<{ rgba: Uint8ClampedArray; geometry: Geometry }> {
  const g = planGeometry(bitmap.width, bitmap.height, spec);
  // Match the filter the model was trained with: 'low' is Chromium's plain bilinear, 'high' its antialiased one.
  const resizeQuality = spec.filter === 'bilinear' ? 'low' : 'high';
  const resized = await createImageBitmap(bitmap, { resizeWidth: g.resizeW, resizeHeight: g.resizeH, resizeQuality });
  const ctx = canvas2d(g.outW, g.outH);
  if (spec.mode === 'letterbox') {
    ctx.fillStyle = `rgb(${spec.pad},${spec.pad},${spec.pad})`;
    ctx.fillRect(0, 0, g.outW, g.outH);
    ctx.drawImage(resized, g.offsetX, g.offsetY);
  } else {
    // 1:1 copy of the centre: no second resampling.
    ctx.drawImage(resized, g.offsetX, g.offsetY, g.outW, g.outH, 0, 0, g.outW, g.outH);
  }
  resized.close();
  return { rgba: ctx.getImageData(0, 0, g.outW, g.outH).data, geometry: g };
}

/** A small WebP (JPEG fallback) thumbnail whose shorter side is at most `shorter` pixels. */
export async function thumbnail(bitmap: ImageBitmap, shorter = 256): Promise<Blob> {
  const scale = Math.min(1, shorter / Math.min(bitmap.width, bitmap.height));
  const w = Math.max(1, Math.round(bitmap.width * scale));
  const h = Math.max(1, Math.round(bitmap.height * scale));
  const small = await createImageBitmap(bitmap, { resizeWidth: w, resizeHeight: h, resizeQuality: 'high' });
  const ctx = canvas2d(w, h);
  ctx.drawImage(small, 0, 0);
  small.close();
  const blob = await ctx.canvas.convertToBlob({ type: 'image/webp', quality: 0.8 });
  return blob.type === 'image/webp' ? blob : ctx.canvas.convertToBlob({ type: 'image/jpeg', quality: 0.85 });
}

/**
 * A stand-in thumbnail for a file that cannot be decoded: the format's name on grey, with the image's
 * aspect ratio when it is known (so the detail view's frame fits), square otherwise.
 */
export async function placeholderThumbnail(label: string, width: number, height: number): Promise<Blob> {
  const ratio = width > 0 && height > 0 ? Math.min(2, Math.max(0.5, width / height)) : 1;
  const w = Math.round(ratio >= 1 ? 256 * ratio : 256);
  const h = Math.round(ratio >= 1 ? 256 : 256 / ratio);
  const ctx = canvas2d(w, h);
  ctx.fillStyle = '#5b6470';
  ctx.fillRect(0, 0, w, h);
  ctx.fillStyle = '#ffffff';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.font = 'bold 56px sans-serif';
  ctx.fillText(label, w / 2, h / 2 - 16);
  ctx.font = '22px sans-serif';
  ctx.fillText('metadata only', w / 2, h / 2 + 34);
  const blob = await ctx.canvas.convertToBlob({ type: 'image/webp', quality: 0.8 });
  return blob.type === 'image/webp' ? blob : ctx.canvas.convertToBlob({ type: 'image/png' });
}

/** Palette, histogram and dHash from small renditions; channels and megapixels from the header/size. */
export async function imageFacts(bitmap: ImageBitmap, channels: number): Promise<ImageFacts> {
  const small = async (w: number, h: number) => {
    const b = await createImageBitmap(bitmap, { resizeWidth: w, resizeHeight: h, resizeQuality: 'high' });
    const ctx = canvas2d(w, h);
    ctx.drawImage(b, 0, 0);
    b.close();
    return ctx.getImageData(0, 0, w, h).data;
  };
  const px = await small(32, 32);
  return {
    channels,
    megapixels: Math.round((bitmap.width * bitmap.height) / 1e4) / 100,
    palette: palette(px, 5),
    histogram: histogram(px, 8),
    dhash: dhash(await small(9, 8)),
  };
}
