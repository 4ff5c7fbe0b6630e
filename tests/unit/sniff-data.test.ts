// sniffImage over the real bad/odd files in ../shared/data (see bad/manifest.csv for where each comes from).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sniffImage, type ImageLimits, type Sniffed } from '../../src/ml/image/sniff';
import { parseCsvObjects } from '../../src/shared/csv';
import { SightlineError, type ErrorCode } from '../../src/shared/types';
import { DATA } from './paths';

const read = (...p: string[]) => new Uint8Array(readFileSync(path.join(DATA, ...p)));

function sniffError(bytes: Uint8Array, limits?: ImageLimits): SightlineError {
  try {
    sniffImage(bytes, limits);
  } catch (e) {
    expect(e).toBeInstanceOf(SightlineError);
    return e as SightlineError;
  }
  throw new Error('sniffImage accepted the file');
}

type Expect = { code: ErrorCode; message: RegExp } | { ok: Sniffed };

// Sizes of the accepted files were checked against `file(1)`.
const BAD: Record<string, Expect> = {
  'gen_empty.jpg': { code: 'empty-file', message: /^the file is empty \(0 bytes\)$/ },
  'gen_text_as.jpg': { code: 'not-an-image', message: /text file, not an image/ },
  'lottapixel.jpg': { code: 'too-many-pixels', message: /^JPEG declares 64250×64250 \(4128 MP\); the limit is 64 MP$/ },
  'gen_png_header_100000x100000.png': { code: 'too-many-pixels', message: /^PNG declares 100000×100000 \(10000 MP\); the limit is 64 MP$/ },
  'gen_jpeg_sof_65500x65500.jpg': { code: 'too-many-pixels', message: /^JPEG declares 65500×65500 \(4290 MP\)/ },
  // canvas 32x32, but its first frame declares 65535x1321
  'pillow_decompression_bomb.gif': { code: 'too-many-pixels', message: /^GIF declares 65535×1321 \(87 MP\)/ },
  'gen_truncated_50pct.jpg': { code: 'truncated', message: /^JPEG is truncated \(no end-of-image marker/ },
  'pillow_truncated_jpeg.jpg': { code: 'truncated', message: /^JPEG is truncated/ },
  'pillow_truncated_image.png': { code: 'truncated', message: /^PNG is truncated \(the IDAT chunk runs past the end of the file\)$/ },
  'pngsuite_xs1n0g01.png': { code: 'corrupt-header', message: /PNG signature is damaged/ },
  'pngsuite_xcrn0g04.png': { code: 'corrupt-header', message: /PNG signature is damaged/ },
  'pngsuite_xhdn0g08.png': { code: 'corrupt-header', message: /^PNG IHDR checksum is wrong/ },
  'pngsuite_xd0n2c08.png': { code: 'corrupt-header', message: /^PNG bit depth 0 is invalid for colour type 2$/ },
  'pngsuite_xdtn0g01.png': { code: 'corrupt-header', message: /^PNG has no image data \(IDAT chunk missing\)$/ },
  // valid images with damaged metadata: the header check lets them through to the decoder
  'pillow_png_decompression_dos.png': { ok: { format: 'png', width: 1, height: 1, channels: 1 } },
  'ianare_invalid_image01137.jpg': { ok: { format: 'jpeg', width: 88, height: 64, channels: 3 } },
  'exifr_RangeError_Offset_outside_bounds.jpg': { ok: { format: 'jpeg', width: 100, height: 63, channels: 3 } },
  'exifr_RangeError_Invalid_typed_array_length.jpg': { ok: { format: 'jpeg', width: 60, height: 42, channels: 3 } },
  'pillow_invalid-exif.jpg': { ok: { format: 'jpeg', width: 200, height: 200, channels: 3 } },
};

describe('bad/ files', () => {
  const listed = parseCsvObjects(readFileSync(path.join(DATA, 'bad/manifest.csv'), 'utf8')).map((r) => r.file);

  it('the table covers every file in bad/ and in its manifest', () => {
    const onDisk = readdirSync(path.join(DATA, 'bad')).filter((f) => f !== 'manifest.csv' && f !== 'sha256sums');
    expect([...onDisk].sort()).toEqual(Object.keys(BAD).sort());
    expect([...listed].sort()).toEqual(Object.keys(BAD).sort());
  });

  for (const [file, want] of Object.entries(BAD)) {
    if ('ok' in want) {
      it(`${file}: accepted as ${want.ok.format} ${want.ok.width}x${want.ok.height}`, () => {
        expect(sniffImage(read('bad', file))).toMatchObject(want.ok);
      });
    } else {
      it(`${file}: ${want.code}`, () => {
        const e = sniffError(read('bad', file));
        expect(e.code).toBe(want.code);
        expect(e.name).toBe('SightlineError');
        expect(e.message).toMatch(want.message);
      });
    }
  }

  it('every rejection message is specific to its file (no two kinds of problem share a text)', () => {
    const byMessage = new Map<string, Set<ErrorCode>>();
    for (const [file, want] of Object.entries(BAD)) {
      if ('ok' in want) continue;
      const e = sniffError(read('bad', file));
      expect(e.message.length, file).toBeGreaterThan(15);
      expect(e.message, file).toMatch(/JPEG|PNG|GIF|empty|text file/);
      byMessage.set(e.message, (byMessage.get(e.message) ?? new Set()).add(e.code));
    }
    for (const codes of byMessage.values()) expect(codes.size).toBe(1);
  });
});

describe('imagenet/ dev images', () => {
  // width x height as reported by file(1)
  // prettier-ignore
  const SIZES: Record<string, [number, number]> = {
    in_dev_0000: [500, 375], in_dev_0001: [500, 333], in_dev_0002: [500, 376], in_dev_0003: [500, 332], in_dev_0004: [500, 333],
    in_dev_0005: [500, 357], in_dev_0006: [500, 375], in_dev_0007: [500, 375], in_dev_0008: [500, 338], in_dev_0009: [500, 320],
    in_dev_0010: [413, 580], in_dev_0011: [500, 375], in_dev_0012: [909, 768], in_dev_0013: [600, 450], in_dev_0014: [500, 375],
    in_dev_0015: [500, 333], in_dev_0016: [500, 375], in_dev_0017: [106, 150], in_dev_0018: [600, 450], in_dev_0019: [375, 500],
    in_dev_0020: [400, 475], in_dev_0021: [496, 280], in_dev_0022: [333, 500], in_dev_0023: [375, 500], in_dev_0024: [500, 375],
  };

  it('all 25 sniff as JPEG with their real sizes', () => {
    const files = readdirSync(path.join(DATA, 'imagenet')).filter((f) => f.endsWith('.jpg'));
    expect(files).toHaveLength(25);
    for (const f of files) {
      const [width, height] = SIZES[f.replace('.jpg', '')];
      expect(sniffImage(read('imagenet', f)), f).toMatchObject({ format: 'jpeg', width, height });
    }
  });

  it('the truncated copy of in_dev_0001 is rejected while the original passes', () => {
    const whole = read('imagenet', 'in_dev_0001.jpg');
    expect(sniffImage(whole)).toMatchObject({ format: 'jpeg', width: 500, height: 333 });
    expect(sniffError(whole.subarray(0, Math.floor(whole.length / 2))).code).toBe('truncated');
  });
});

describe('exif/ files', () => {
  it('a camera JPEG cut in half is truncated although its EXIF thumbnail is complete', () => {
    const whole = read('exif', 'ianare__jpg__gps__DSCN0010.jpg');
    const soi = (b: Uint8Array) => b.findIndex((v, i) => i > 2 && v === 0xff && b[i + 1] === 0xd8); // the thumbnail's start
    expect(soi(whole)).toBeGreaterThan(0);
    expect(soi(whole)).toBeLessThan(whole.length / 2);
    expect(sniffError(whole.subarray(0, whole.length >> 1)).code).toBe('truncated');
  });

  it('HEIC is unsupported, with advice', () => {
    const e = sniffError(read('exif', 'ianare__heic__IMG_5195.HEIC'));
    expect(e.code).toBe('unsupported-format');
    expect(e.message).toMatch(/HEIC\/HEIF.*convert to JPEG/);
  });

  it('TIFF is unsupported', () => {
    const e = sniffError(read('exif', 'exifr__002.tiff'));
    expect(e.code).toBe('unsupported-format');
    expect(e.message).toBe('TIFF images cannot be decoded by this browser');
  });

  it('JPEGs with EXIF (thumbnails inside APP1 do not confuse the size) and a PNG with eXIf', () => {
    expect(sniffImage(read('exif', 'ianare__jpg__mobile__jolla.jpg'))).toMatchObject({ format: 'jpeg', width: 3264, height: 2448 });
    expect(sniffImage(read('exif', 'ianare__jpg__Canon_40D.jpg'))).toMatchObject({ format: 'jpeg', width: 100, height: 68 });
    expect(sniffImage(read('exif', 'ianare__jpg__gps__DSCN0010.jpg'))).toMatchObject({ format: 'jpeg', width: 640, height: 480 });
    expect(sniffImage(read('exif', 'exifr__IMG_20180725_163423-tiny.jpg'))).toMatchObject({ format: 'jpeg', width: 1012, height: 759 });
    // stored size, before EXIF orientation (orientation 6 would display it as 450x600)
    expect(sniffImage(read('exif', 'ianare__jpg__orientation__portrait_6.jpg'))).toMatchObject({ format: 'jpeg', width: 600, height: 450 });
    expect(sniffImage(read('exif', 'exifr__png__png_with_exif_and_gps.png'))).toMatchObject({ format: 'png', width: 1, height: 1 });
  });
});

describe('custom limits on real files', () => {
  const small = read('imagenet', 'in_dev_0017.jpg'); // 106x150 = 15 900 pixels, 2135 bytes

  it('maxPixels rejects above the limit and accepts at the limit', () => {
    const e = sniffError(small, { maxPixels: 15_899, maxBytes: 1e9 });
    expect(e.code).toBe('too-many-pixels');
    expect(e.message).toMatch(/^JPEG declares 106×150/);
    expect(sniffImage(small, { maxPixels: 15_900, maxBytes: 1e9 })).toMatchObject({ format: 'jpeg', width: 106, height: 150 });
  });

  it('maxBytes rejects a file that is too large before reading its header', () => {
    expect(sniffError(small, { maxPixels: 1e9, maxBytes: 2134 }).code).toBe('file-too-large');
    // a header that declares too many pixels is not even looked at when the file is too large
    expect(sniffError(read('bad', 'lottapixel.jpg'), { maxPixels: 64e6, maxBytes: 1000 }).code).toBe('file-too-large');
    expect(sniffImage(small, { maxPixels: 1e9, maxBytes: 2135 }).format).toBe('jpeg');
  });
});
