// Reads an image file's header without decoding it: format, declared size, and damage that a decoder
// would either choke on or (worse) try to allocate for. Runs before createImageBitmap.
import { SightlineError } from '../../shared/types';

export interface ImageLimits {
  maxPixels: number;
  maxBytes: number;
}
export const DEFAULT_LIMITS: ImageLimits = { maxPixels: 64_000_000, maxBytes: 200 * 1024 * 1024 };

export interface Sniffed {
  format: 'jpeg' | 'png' | 'gif' | 'webp' | 'bmp' | 'avif';
  width: number;
  height: number;
  /** Colour channels stored in the file (1 grey, 2 grey+alpha, 3 colour, 4 colour+alpha or CMYK). */
  channels: number;
}

/**
 * A format we recognise but the browser has no decoder for (HEIC/HEIF, TIFF). Still an `unsupported-format`
 * error for callers that only want pixels; the image worker reads its metadata and may keep it as a
 * metadata-only record (see metadata-only.ts).
 */
export class UndecodableFormatError extends SightlineError {
  constructor(
    readonly format: 'heic' | 'tiff',
    message: string,
  ) {
    super('unsupported-format', message);
  }
}

const fail = (code: ConstructorParameters<typeof SightlineError>[0], msg: string): never => {
  throw new SightlineError(code, msg);
};

let crcTable: Uint32Array | undefined;
export function crc32(b: Uint8Array, start: number, end: number): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (let i = start; i < end; i++) c = crcTable[(c ^ b[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const mb = (n: number) => (n >= 1048576 ? `${Math.round(n / 1048576)} MB` : `${Math.ceil(n / 1024)} KB`);
const megapixels = (n: number) => (n >= 1e6 ? `${Math.round(n / 1e6)} MP` : `${n} pixels`);
const ascii = (b: Uint8Array, at: number, n: number) => String.fromCharCode(...b.subarray(at, at + n));

function sniffPng(b: Uint8Array, dv: DataView): Sniffed {
  if (b.length < 33 || ascii(b, 12, 4) !== 'IHDR') fail('corrupt-header', 'PNG has no IHDR header chunk');
  if (crc32(b, 12, 29) !== dv.getUint32(29)) fail('corrupt-header', 'PNG IHDR checksum is wrong (damaged header)');
  const width = dv.getUint32(16);
  const height = dv.getUint32(20);
  const depth = b[24];
  const colour = b[25];
  const allowed: Record<number, number[]> = { 0: [1, 2, 4, 8, 16], 2: [8, 16], 3: [1, 2, 4, 8], 4: [8, 16], 6: [8, 16] };
  if (!allowed[colour]) fail('corrupt-header', `PNG colour type ${colour} is invalid`);
  if (!allowed[colour].includes(depth)) fail('corrupt-header', `PNG bit depth ${depth} is invalid for colour type ${colour}`);
  // Walk the chunks (no decompression): a missing IDAT or IEND means a damaged or cut-off file.
  let at = 8;
  let idat = false;
  for (;;) {
    if (at + 8 > b.length) fail('truncated', 'PNG is truncated (file ends before the IEND chunk)');
    const len = dv.getUint32(at);
    const type = ascii(b, at + 4, 4);
    if (at + 12 + len > b.length) fail('truncated', `PNG is truncated (the ${type} chunk runs past the end of the file)`);
    if (type === 'IDAT') idat = true;
    if (type === 'IEND') break;
    at += 12 + len;
  }
  if (!idat) fail('corrupt-header', 'PNG has no image data (IDAT chunk missing)');
  return { format: 'png', width, height, channels: { 0: 1, 2: 3, 3: 3, 4: 2, 6: 4 }[colour] ?? 3 };
}

function sniffJpeg(b: Uint8Array, dv: DataView): Sniffed {
  let at = 2;
  let size: { width: number; height: number; channels: number } | undefined;
  while (at + 4 <= b.length) {
    if (b[at] !== 0xff) fail('corrupt-header', `JPEG marker expected at byte ${at}`);
    const m = b[at + 1];
    if (m === 0xff) {
      at++; // fill byte
      continue;
    }
    if (m === 0xd9) break;
    const len = dv.getUint16(at + 2);
    const isSof = m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc;
    if (isSof && at + 10 <= b.length) size = { height: dv.getUint16(at + 5), width: dv.getUint16(at + 7), channels: b[at + 9] };
    if (m === 0xda) {
      if (!size) fail('corrupt-header', 'JPEG has no frame header (SOF) before its image data');
      // Scan data never holds FF D9 except as the end marker (FF is byte-stuffed), so its absence means a cut-off file.
      for (let i = b.length - 2; i > at; i--) if (b[i] === 0xff && b[i + 1] === 0xd9) return { format: 'jpeg', ...size! };
      fail('truncated', 'JPEG is truncated (no end-of-image marker after the image data)');
    }
    at += 2 + len;
  }
  return size ? { format: 'jpeg', ...size } : fail('truncated', 'JPEG is truncated (ends before its image data)');
}

function sniffIsoBmff(b: Uint8Array, dv: DataView): Sniffed {
  const brands = ascii(b, 8, Math.min(32, b.length - 8));
  if (/hei[cx]|hevc|heim|heis/.test(brands))
    throw new UndecodableFormatError('heic', 'HEIC/HEIF images cannot be decoded by this browser (convert to JPEG or AVIF)');
  if (!/avi[fs]/.test(brands)) fail('unsupported-format', `unsupported ISO media file (brands: ${brands.replace(/\0/g, ' ').trim()})`);
  // 'ispe' holds the image spatial extent: 4 bytes version/flags, then width and height.
  for (let i = 0; i + 16 <= Math.min(b.length, 65536); i++)
    if (b[i] === 0x69 && ascii(b, i, 4) === 'ispe') return { format: 'avif', width: dv.getUint32(i + 8), height: dv.getUint32(i + 12), channels: 3 };
  return fail('corrupt-header', 'AVIF has no image size (ispe) box');
}

function sniffWebp(b: Uint8Array, dv: DataView): Sniffed {
  const kind = ascii(b, 12, 4);
  if (kind === 'VP8 ' && b.length >= 30)
    return { format: 'webp', width: dv.getUint16(26, true) & 0x3fff, height: dv.getUint16(28, true) & 0x3fff, channels: 3 };
  if (kind === 'VP8L' && b.length >= 25) {
    const v = dv.getUint32(21, true);
    return { format: 'webp', width: (v & 0x3fff) + 1, height: ((v >>> 14) & 0x3fff) + 1, channels: (v >>> 28) & 1 ? 4 : 3 };
  }
  if (kind === 'VP8X' && b.length >= 30)
    return {
      format: 'webp',
      width: 1 + (b[24] | (b[25] << 8) | (b[26] << 16)),
      height: 1 + (b[27] | (b[28] << 8) | (b[29] << 16)),
      channels: b[20] & 0x10 ? 4 : 3,
    };
  return fail('corrupt-header', `WebP has an unknown or cut-off chunk '${kind}'`);
}

function sniffGif(b: Uint8Array, dv: DataView): Sniffed {
  const s: Sniffed = { format: 'gif', width: dv.getUint16(6, true), height: dv.getUint16(8, true), channels: 3 };
  // Frames may declare a larger size than the canvas (a classic decompression bomb): check the first one too.
  let at = 13 + (b[10] & 0x80 ? 3 * (2 << (b[10] & 7)) : 0);
  while (at < b.length && b[at] === 0x21) {
    at += 2;
    while (at < b.length && b[at] !== 0) at += b[at] + 1;
    at++;
  }
  if (b[at] === 0x2c && at + 9 <= b.length) {
    const fw = dv.getUint16(at + 5, true);
    const fh = dv.getUint16(at + 7, true);
    if (fw * fh > s.width * s.height) return { format: 'gif', width: fw, height: fh, channels: 3 };
  }
  return s;
}

function describeUnknown(b: Uint8Array): never {
  if (ascii(b, 1, 3) === 'PNG') fail('corrupt-header', 'PNG signature is damaged (e.g. by a text-mode transfer)');
  if (ascii(b, 0, 4) === 'II*\0' || ascii(b, 0, 4) === 'MM\0*') throw new UndecodableFormatError('tiff', 'TIFF images cannot be decoded by this browser');
  const head = b.subarray(0, 512);
  const printable = head.every((c) => c === 9 || c === 10 || c === 13 || (c >= 32 && c < 127) || c >= 128);
  if (printable) fail('not-an-image', 'this is a text file, not an image');
  const hex = Array.from(b.subarray(0, 8), (c) => c.toString(16).padStart(2, '0')).join(' ');
  return fail('not-an-image', `unrecognised file format (first bytes ${hex})`);
}

/** Identifies the format and declared size from the header; throws a SightlineError for anything unsafe. */
export function sniffImage(b: Uint8Array, limits: ImageLimits = DEFAULT_LIMITS): Sniffed {
  if (b.length === 0) fail('empty-file', 'the file is empty (0 bytes)');
  if (b.length > limits.maxBytes) fail('file-too-large', `the file is ${mb(b.length)}; the limit is ${mb(limits.maxBytes)}`);
  if (b.length < 12) fail('truncated', `only ${b.length} bytes: too short to be an image`);
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let s: Sniffed;
  if (b[0] === 0x89 && ascii(b, 1, 7) === 'PNG\r\n\x1a\n') s = sniffPng(b, dv);
  else if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) s = sniffJpeg(b, dv);
  else if (ascii(b, 0, 6) === 'GIF87a' || ascii(b, 0, 6) === 'GIF89a') s = sniffGif(b, dv);
  else if (ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WEBP') s = sniffWebp(b, dv);
  else if (ascii(b, 0, 2) === 'BM' && b.length >= 26)
    s = {
      format: 'bmp',
      width: Math.abs(dv.getInt32(18, true)),
      height: Math.abs(dv.getInt32(22, true)),
      channels: b.length > 29 && dv.getUint16(28, true) === 32 ? 4 : 3,
    };
  else if (ascii(b, 4, 4) === 'ftyp') s = sniffIsoBmff(b, dv);
  else return describeUnknown(b);
  if (s.width === 0 || s.height === 0) fail('corrupt-header', `${s.format.toUpperCase()} declares a ${s.width}×${s.height} image`);
  if (s.width * s.height > limits.maxPixels)
    fail(
      'too-many-pixels',
      `${s.format.toUpperCase()} declares ${s.width}×${s.height} (${megapixels(s.width * s.height)}); the limit is ${megapixels(limits.maxPixels)}`,
    );
  return s;
}
