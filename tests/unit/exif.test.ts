import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { exifDate, readExif } from '../../src/ml/image/exif';
import { DATA } from './paths';

interface Expected {
  FileName: string;
  [k: string]: string | number;
}
const expected = JSON.parse(readFileSync(path.join(DATA, 'exif/expected_exiftool.json'), 'utf8')) as Expected[];
const read = (f: string, dir = 'exif') => readExif(new Uint8Array(readFileSync(path.join(DATA, dir, f))));

// exiftool field → how to get ours, and how to compare (dates normalised, numbers to relative 1e-6).
const FIELDS: Record<string, (s: NonNullable<Awaited<ReturnType<typeof readExif>>>) => unknown> = {
  Make: (s) => s.make,
  Model: (s) => s.model,
  LensModel: (s) => s.lens,
  DateTimeOriginal: (s) => s.dateTaken?.slice(0, 19),
  OffsetTimeOriginal: (s) => s.dateTaken?.slice(19) || undefined,
  CreateDate: (s) => s.raw.CreateDate,
  ModifyDate: (s) => s.raw.ModifyDate,
  GPSLatitude: (s) => s.gps?.latitude,
  GPSLongitude: (s) => s.gps?.longitude,
  GPSAltitude: (s) => s.gps?.altitude,
  GPSDateStamp: (s) => s.raw.GPSDateStamp,
  Orientation: (s) => s.orientation,
  ExifImageWidth: (s) => s.exifWidth,
  ExifImageHeight: (s) => s.exifHeight,
  ISO: (s) => s.iso,
  FNumber: (s) => s.fNumber,
  ExposureTime: (s) => s.exposureTime,
  FocalLength: (s) => s.focalLength,
  Software: (s) => s.software,
};
const normDate = (v: unknown) => (typeof v === 'string' ? v.replace(/^(\d{4})[:-](\d{2})[:-](\d{2})/, '$1-$2-$3').replace(' ', 'T') : v);
function same(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') return Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(b));
  return normDate(a) === normDate(b);
}

describe('EXIF agrees with exiftool on every field both report', () => {
  let compared = 0;
  let equal = 0;
  const mismatches: string[] = [];
  for (const e of expected) {
    it(e.FileName, async () => {
      const s = await read(e.FileName);
      for (const [field, get] of Object.entries(FIELDS)) {
        if (!(field in e)) continue;
        const ours = s ? get(s) : undefined;
        compared++;
        if (ours === undefined) {
          mismatches.push(`${e.FileName}: ${field} missing (exiftool ${e[field]})`);
          continue;
        }
        if (same(ours, e[field])) equal++;
        else mismatches.push(`${e.FileName}: ${field} ours ${String(ours)} vs exiftool ${e[field]}`);
      }
      expect(mismatches.filter((m) => m.startsWith(e.FileName))).toEqual([]);
    });
  }
  it('summary', () => {
    console.log(`EXIF agreement with exiftool: ${equal}/${compared} fields equal over ${expected.length} files`);
    expect(compared).toBeGreaterThan(100);
    expect(equal).toBe(compared);
  });
});

describe('readExif', () => {
  it('keeps the UTC offset with the date when the file has one (HEIC)', async () => {
    const s = await read('ianare__heic__IMG_5195.HEIC');
    expect(s!.dateTaken).toBe('2021-04-11T15:47:53-05:00');
    expect(s!.lens).toContain('iPhone 11 Pro Max');
  });
  it('returns null for a file without metadata and readable raw values otherwise', async () => {
    expect(await read('exifr__noexif.jpg')).toBeNull();
    const s = await read('exifr__IMG_20180725_163423-tiny.jpg');
    expect(s!.raw.ExifVersion).toBe('0220');
    expect(s!.gps).toEqual({ latitude: expect.closeTo(50.2996, 4), longitude: expect.closeTo(14.8203, 4), altitude: 252 });
  });
  it('never throws on damaged metadata: a warning or nothing', async () => {
    for (const f of [
      'exifr_RangeError_Offset_outside_bounds.jpg',
      'exifr_RangeError_Invalid_typed_array_length.jpg',
      'pillow_invalid-exif.jpg',
      'ianare_invalid_image01137.jpg',
      'gen_empty.jpg',
      'gen_text_as.jpg',
    ]) {
      const s = await read(f, 'bad');
      if (s) expect(typeof s.raw).toBe('object');
    }
    expect((await read('gen_text_as.jpg', 'bad'))!.warning).toMatch(/metadata could not be read/);
  });
  it('exifDate normalises and refuses zero dates', () => {
    expect(exifDate('2019:05:24 15:06:38')).toBe('2019-05-24T15:06:38');
    expect(exifDate('2019:05:24 15:06:38', '+02:00')).toBe('2019-05-24T15:06:38+02:00');
    expect(exifDate('0000:00:00 00:00:00')).toBeUndefined();
    expect(exifDate('garbage')).toBeUndefined();
  });
});
