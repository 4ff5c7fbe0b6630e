// sniffImage on hand-built headers (every format and every rejection path) and crc32.
import { describe, expect, it } from 'vitest';
import { crc32, DEFAULT_LIMITS, sniffImage, type ImageLimits } from '../../src/ml/image/sniff';
import { SightlineError } from '../../src/shared/types';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DATA } from './paths';

const read = (dir: string, f: string) => new Uint8Array(readFileSync(path.join(DATA, dir, f)));

const enc = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const cat = (...parts: (Uint8Array | number[] | string)[]) => {
  const arrays = parts.map((p) => (typeof p === 'string' ? enc(p) : Uint8Array.from(p)));
  const out = new Uint8Array(arrays.reduce((n, a) => n + a.length, 0));
  let at = 0;
  for (const a of arrays) {
    out.set(a, at);
    at += a.length;
  }
  return out;
};
const u32be = (n: number) => [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
const u16be = (n: number) => [(n >>> 8) & 255, n & 255];
const u16le = (n: number) => [n & 255, (n >>> 8) & 255];
const u32le = (n: number) => [n & 255, (n >>> 8) & 255, (n >>> 16) & 255, (n >>> 24) & 255];

function codeOf(bytes: Uint8Array, limits?: ImageLimits): { code: string; message: string } {
  try {
    sniffImage(bytes, limits);
  } catch (e) {
    expect(e).toBeInstanceOf(SightlineError);
    return { code: (e as SightlineError).code, message: (e as SightlineError).message };
  }
  throw new Error('accepted');
}

describe('crc32', () => {
  it("the check value of ASCII '123456789' is 0xCBF43926", () => {
    expect(crc32(enc('123456789'), 0, 9)).toBe(0xcbf43926);
  });

  it('known PNG chunk CRCs: IHDR of a 1x1 RGBA image and IEND', () => {
    expect(crc32(cat('IHDR', u32be(1), u32be(1), [8, 6, 0, 0, 0]), 0, 17)).toBe(0x1f15c489);
    expect(crc32(enc('IEND'), 0, 4)).toBe(0xae426082);
  });

  it('covers exactly [start, end) and is 0 for an empty range', () => {
    const b = cat('xx123456789yy');
    expect(crc32(b, 2, 11)).toBe(0xcbf43926);
    expect(crc32(b, 5, 5)).toBe(0);
    expect(crc32(b, 0, 13)).not.toBe(0xcbf43926);
  });
});

const chunk = (type: string, data: number[] | Uint8Array = []) => {
  const body = cat(type, data);
  return cat(u32be(body.length - 4), body, u32be(crc32(body, 0, body.length)));
};
const ihdr = (w: number, h: number, depth = 8, colour = 6) => chunk('IHDR', [...u32be(w), ...u32be(h), depth, colour, 0, 0, 0]);
const SIG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const png = (...chunks: Uint8Array[]) => cat(SIG, ...chunks);
const IDAT = chunk('IDAT', [0x78, 0x9c, 0x63, 0, 0, 0, 1, 0, 1]);
const IEND = chunk('IEND');

describe('PNG', () => {
  it('reads the size from IHDR', () => {
    expect(sniffImage(png(ihdr(1, 1), IDAT, IEND))).toMatchObject({ format: 'png', width: 1, height: 1 });
    expect(sniffImage(png(ihdr(4000, 3000, 16, 2), chunk('tEXt', enc('k\0v')), IDAT, IDAT, IEND))).toMatchObject({ format: 'png', width: 4000, height: 3000 });
  });

  it('rejects damaged headers as corrupt-header', () => {
    const bad = png(ihdr(1, 1), IDAT, IEND);
    bad[30] ^= 0xff; // CRC byte
    expect(codeOf(bad)).toEqual({ code: 'corrupt-header', message: 'PNG IHDR checksum is wrong (damaged header)' });
    expect(codeOf(png(chunk('tEXt', enc('a long enough text chunk')), IDAT, IEND))).toEqual({
      code: 'corrupt-header',
      message: 'PNG has no IHDR header chunk',
    });
    expect(codeOf(png(ihdr(1, 1, 8, 5), IDAT, IEND))).toEqual({ code: 'corrupt-header', message: 'PNG colour type 5 is invalid' });
    expect(codeOf(png(ihdr(1, 1, 16, 3), IDAT, IEND))).toEqual({ code: 'corrupt-header', message: 'PNG bit depth 16 is invalid for colour type 3' });
    expect(codeOf(png(ihdr(1, 1), IEND))).toEqual({ code: 'corrupt-header', message: 'PNG has no image data (IDAT chunk missing)' });
    expect(codeOf(png(ihdr(0, 5), IDAT, IEND))).toEqual({ code: 'corrupt-header', message: 'PNG declares a 0×5 image' });
  });

  it('a file that stops early is truncated', () => {
    expect(codeOf(png(ihdr(2, 2), IDAT))).toEqual({ code: 'truncated', message: 'PNG is truncated (file ends before the IEND chunk)' });
    const whole = png(ihdr(2, 2), IDAT, IEND);
    expect(codeOf(whole.subarray(0, 33 + 10)).message).toBe('PNG is truncated (the IDAT chunk runs past the end of the file)');
    expect(codeOf(whole.subarray(0, 20)).code).toBe('corrupt-header'); // not even a whole IHDR
  });
});

const SOI = [0xff, 0xd8];
const EOI = [0xff, 0xd9];
const seg = (marker: number, payload: number[]) => [0xff, marker, ...u16be(payload.length + 2), ...payload];
const sof = (marker: number, w: number, h: number) => seg(marker, [8, ...u16be(h), ...u16be(w), 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
const APP0 = seg(0xe0, [...enc('JFIF\0'), 1, 1, 0, 0, 1, 0, 1, 0, 0]);
const SOS = seg(0xda, [3, 1, 0, 2, 0x11, 3, 0x11, 0, 63, 0]);
const SCAN = [0x12, 0xff, 0x00, 0x34, 0xff, 0xd0, 0x56]; // stuffed FF and a restart marker

describe('JPEG', () => {
  it('reads the size from the frame header (baseline and progressive)', () => {
    expect(sniffImage(cat(SOI, APP0, sof(0xc0, 640, 480), SOS, SCAN, EOI))).toMatchObject({ format: 'jpeg', width: 640, height: 480 });
    expect(sniffImage(cat(SOI, sof(0xc2, 17, 4000), SOS, SCAN, EOI))).toMatchObject({ format: 'jpeg', width: 17, height: 4000 });
  });

  it('does not mistake DHT (C4) for a frame header and skips fill bytes', () => {
    const dht = seg(0xc4, [0, ...new Array(16).fill(0), 0x7f, 0x7f]);
    expect(sniffImage(cat(SOI, [0xff, 0xff], dht, sof(0xc1, 300, 200), SOS, SCAN, EOI))).toMatchObject({ format: 'jpeg', width: 300, height: 200 });
  });

  it('rejects a missing frame header, a broken marker and a zero size', () => {
    expect(codeOf(cat(SOI, APP0, SOS, SCAN, EOI))).toEqual({ code: 'corrupt-header', message: 'JPEG has no frame header (SOF) before its image data' });
    expect(codeOf(cat(SOI, APP0, [0x00, 0x11], sof(0xc0, 1, 1), SOS, EOI))).toEqual({ code: 'corrupt-header', message: 'JPEG marker expected at byte 20' });
    expect(codeOf(cat(SOI, sof(0xc0, 100, 0), SOS, SCAN, EOI))).toEqual({ code: 'corrupt-header', message: 'JPEG declares a 100×0 image' });
  });

  it('an EXIF thumbnail (with its own end marker) before the image data does not hide a cut-off file', () => {
    const thumb = [0xff, 0xd8, 0xff, 0xdb, 0, 3, 0, 0xff, 0xd9];
    const app1 = seg(0xe1, [...enc('Exif\0\0'), ...thumb]);
    expect(sniffImage(cat(SOI, app1, sof(0xc0, 64, 48), SOS, SCAN, EOI))).toMatchObject({ format: 'jpeg', width: 64, height: 48 });
    expect(codeOf(cat(SOI, app1, sof(0xc0, 64, 48), SOS, SCAN)).code).toBe('truncated');
  });

  it('cut-off files are truncated', () => {
    expect(codeOf(cat(SOI, APP0, sof(0xc0, 8, 8), SOS, SCAN)).message).toBe('JPEG is truncated (no end-of-image marker after the image data)');
    expect(codeOf(cat(SOI, APP0, sof(0xc0, 8, 8)).subarray(0, 25))).toEqual({ code: 'truncated', message: 'JPEG is truncated (ends before its image data)' });
  });
});

const gifHeader = (w: number, h: number, flags = 0) => cat('GIF89a', u16le(w), u16le(h), [flags, 0, 0]);
const frame = (w: number, h: number) => [0x2c, 0, 0, 0, 0, ...u16le(w), ...u16le(h), 0, 2, 2, 0x4c, 0x01, 0x00, 0x3b];

describe('GIF', () => {
  it('reads the canvas size', () => {
    expect(sniffImage(cat(gifHeader(10, 20), frame(10, 20)))).toMatchObject({ format: 'gif', width: 10, height: 20 });
    expect(sniffImage(cat('GIF87a', u16le(3), u16le(2), [0, 0, 0], frame(1, 1)))).toMatchObject({ format: 'gif', width: 3, height: 2 });
  });

  it('uses a first frame larger than the canvas (decompression bomb), past a colour table and extensions', () => {
    const gct = new Array(3 * 4).fill(0); // flags 0x81: global colour table of 2 << 1 = 4 entries
    const gce = [0x21, 0xf9, 4, 0, 0, 0, 0, 0];
    const comment = [0x21, 0xfe, 3, ...enc('abc'), 2, ...enc('de'), 0];
    const bomb = cat(gifHeader(32, 32, 0x81), gct, gce, comment, frame(3000, 3000));
    expect(sniffImage(bomb)).toMatchObject({ format: 'gif', width: 3000, height: 3000 });
    expect(codeOf(bomb, { maxPixels: 1_000_000, maxBytes: DEFAULT_LIMITS.maxBytes })).toEqual({
      code: 'too-many-pixels',
      message: 'GIF declares 3000×3000 (9 MP); the limit is 1 MP',
    });
  });
});

describe('WebP, BMP, AVIF', () => {
  const riff = (kind: string, payload: number[]) => cat('RIFF', u32le(4 + 8 + payload.length), 'WEBP', kind, u32le(payload.length), payload);

  it('WebP lossy (VP8), lossless (VP8L) and extended (VP8X)', () => {
    expect(sniffImage(riff('VP8 ', [0x30, 0x01, 0x00, 0x9d, 0x01, 0x2a, ...u16le(640), ...u16le(480), 0, 0]))).toEqual({
      format: 'webp',
      width: 640,
      height: 480,
      channels: 3,
    });
    const bits = 399 | (299 << 14); // width-1 and height-1 in 14 bits each
    expect(sniffImage(riff('VP8L', [0x2f, ...u32le(bits), 0]))).toMatchObject({ format: 'webp', width: 400, height: 300 });
    expect(sniffImage(riff('VP8X', [0x10, 0, 0, 0, 999 & 255, 999 >> 8, 0, 1999 & 255, 1999 >> 8, 0]))).toMatchObject({
      format: 'webp',
      width: 1000,
      height: 2000,
    });
    expect(codeOf(riff('VP8Q', [0, 0, 0, 0, 0, 0, 0, 0, 0, 0]))).toEqual({ code: 'corrupt-header', message: "WebP has an unknown or cut-off chunk 'VP8Q'" });
  });

  it('channels from the header: PNG colour type, JPEG components, WebP alpha flag', () => {
    expect(sniffImage(read('faces', 'penny/penny1.png')).channels).toBe(1); // 8-bit greyscale
    expect(sniffImage(read('imagenet', 'in_dev_0000.jpg')).channels).toBe(3);
    expect(sniffImage(riff('VP8X', [0x10, 0, 0, 0, 9, 0, 0, 9, 0, 0])).channels).toBe(4);
    expect(sniffImage(riff('VP8X', [0x00, 0, 0, 0, 9, 0, 0, 9, 0, 0])).channels).toBe(3);
  });

  it('BMP, including a negative (top-down) height', () => {
    const bmp = (w: number, h: number) => cat('BM', u32le(0), u32le(0), u32le(54), u32le(40), u32le(w), u32le(h >>> 0), [1, 0, 24, 0]);
    expect(sniffImage(bmp(120, 80))).toMatchObject({ format: 'bmp', width: 120, height: 80 });
    expect(sniffImage(bmp(120, -80))).toMatchObject({ format: 'bmp', width: 120, height: 80 });
  });

  const ftyp = (...brands: string[]) => cat(u32be(8 + 4 * brands.length + 4), 'ftyp', brands[0], [0, 0, 0, 0], ...brands.slice(1));
  const ispe = (w: number, h: number) => cat(u32be(20), 'ispe', [0, 0, 0, 0], u32be(w), u32be(h));

  it('AVIF size from the ispe box; HEIC and other ISO media are unsupported', () => {
    const mdat = cat(u32be(12), 'mdat', [1, 2, 3, 4]);
    expect(sniffImage(cat(ftyp('avif', 'mif1', 'miaf'), u32be(8), 'meta', ispe(1920, 1080), mdat))).toMatchObject({
      format: 'avif',
      width: 1920,
      height: 1080,
    });
    expect(codeOf(cat(ftyp('avif', 'mif1'), u32be(8), 'meta', new Array(20).fill(0)))).toEqual({
      code: 'corrupt-header',
      message: 'AVIF has no image size (ispe) box',
    });
    expect(codeOf(cat(ftyp('heic', 'mif1'), ispe(10, 10))).code).toBe('unsupported-format');
    expect(codeOf(cat(ftyp('mif1', 'heix'), ispe(10, 10))).message).toMatch(/^HEIC\/HEIF/);
    const mp4 = codeOf(cat(ftyp('isom', 'mp42'), new Array(16).fill(0)));
    expect(mp4.code).toBe('unsupported-format');
    expect(mp4.message).toMatch(/^unsupported ISO media file \(brands: isom\s+mp42\)$/);
  });
});

describe('anything else', () => {
  it('empty, too short, text, TIFF and unknown binary', () => {
    expect(codeOf(new Uint8Array(0))).toEqual({ code: 'empty-file', message: 'the file is empty (0 bytes)' });
    expect(codeOf(Uint8Array.from(SOI.concat([0xff, 0xe0, 0])))).toEqual({ code: 'truncated', message: 'only 5 bytes: too short to be an image' });
    expect(codeOf(enc('name,price\nbread,1.20\n'))).toEqual({ code: 'not-an-image', message: 'this is a text file, not an image' });
    expect(codeOf(cat('MM\0*', u32be(8), new Array(8).fill(0)))).toEqual({
      code: 'unsupported-format',
      message: 'TIFF images cannot be decoded by this browser',
    });
    expect(codeOf(cat([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0, 8, 0, 0, 0, 0]))).toEqual({
      code: 'not-an-image',
      message: 'unrecognised file format (first bytes 50 4b 03 04 14 00 00 00)',
    });
  });

  it('the default limits are 64 MP and 200 MB', () => {
    expect(DEFAULT_LIMITS).toEqual({ maxPixels: 64_000_000, maxBytes: 200 * 1024 * 1024 });
    expect(sniffImage(png(ihdr(8000, 8000), IDAT, IEND))).toMatchObject({ format: 'png', width: 8000, height: 8000 });
    expect(codeOf(png(ihdr(8000, 8001), IDAT, IEND)).code).toBe('too-many-pixels');
  });

  it('reads a header from a view into a larger buffer', () => {
    const inner = png(ihdr(7, 9), IDAT, IEND);
    const outer = new Uint8Array(inner.length + 10);
    outer.set(inner, 5);
    expect(sniffImage(outer.subarray(5, 5 + inner.length))).toMatchObject({ format: 'png', width: 7, height: 9 });
  });
});

describe('limit messages stay readable with small custom limits', () => {
  it('reports KB and pixel counts instead of 0 MB / 0 MP', () => {
    const png = new Uint8Array(3000);
    png.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    try {
      sniffImage(png, { maxBytes: 2000, maxPixels: 1e6 });
      expect.unreachable();
    } catch (e) {
      expect((e as SightlineError).code).toBe('file-too-large');
      expect((e as Error).message).toBe('the file is 3 KB; the limit is 2 KB');
    }
  });
});
