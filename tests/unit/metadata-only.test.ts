// Files we recognise but the browser cannot decode (HEIC, TIFF): kept with their metadata only when it is
// readable, an error otherwise (truncated or garbage files with those signatures).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readExif } from '../../src/ml/image/exif';
import { metadataOnly } from '../../src/ml/image/metadata-only';
import { sniffImage, UndecodableFormatError } from '../../src/ml/image/sniff';
import { aggregate, toRecord } from '../../src/shared/aggregate';
import { resultsCsv, resultsJson } from '../../src/shared/export';
import { SightlineError, type ImageRecord } from '../../src/shared/types';
import { DATA } from './paths';

const HEIC = new Uint8Array(readFileSync(path.join(DATA, 'exif/ianare__heic__IMG_5195.HEIC')));
const TIFF = new Uint8Array(readFileSync(path.join(DATA, 'exif/exifr__002.tiff')));

function undecodable(bytes: Uint8Array): UndecodableFormatError {
  try {
    sniffImage(bytes);
  } catch (e) {
    expect(e).toBeInstanceOf(UndecodableFormatError);
    return e as UndecodableFormatError;
  }
  throw new Error('sniffImage accepted the file');
}

/** What the image worker does with such a file: the metadata-only plan, or the error it reports. */
async function decide(bytes: Uint8Array) {
  const e = undecodable(bytes);
  try {
    return metadataOnly(e, await readExif(bytes));
  } catch (err) {
    expect(err).toBeInstanceOf(SightlineError);
    return { code: (err as SightlineError).code, message: (err as SightlineError).message };
  }
}

describe('metadata-only records for formats the browser cannot decode', () => {
  it('the sniffer names HEIC and TIFF as recognised but undecodable (still unsupported-format for pixel callers)', () => {
    expect(undecodable(HEIC)).toMatchObject({ format: 'heic', code: 'unsupported-format', name: 'SightlineError' });
    expect(undecodable(TIFF)).toMatchObject({ format: 'tiff', code: 'unsupported-format' });
    // Other ISO media (a video) is not an image format we know: a plain error.
    const mp4 = new Uint8Array(64);
    mp4.set([0, 0, 0, 24, ...new TextEncoder().encode('ftypisom\0\0\0\0isommp41')]);
    expect(() => sniffImage(mp4)).toThrow(SightlineError);
    expect(() => sniffImage(mp4)).not.toThrow(UndecodableFormatError);
  });

  it('the HEIC sample is kept with its EXIF size and a note', async () => {
    expect(await decide(HEIC)).toEqual({
      format: 'heic',
      width: 4032,
      height: 3024,
      note: 'This browser cannot decode HEIC; metadata only — convert to JPEG to analyse it.',
    });
  });

  it('the TIFF sample is kept with its IFD0 size', async () => {
    expect(await decide(TIFF)).toMatchObject({ format: 'tiff', width: 640, height: 512, note: expect.stringMatching(/cannot decode TIFF/) });
  });

  it('a truncated TIFF whose IFD0 lies past the end is corrupt-header, not stored', async () => {
    const r = await decide(TIFF.slice(0, TIFF.length >> 1));
    expect(r).toEqual({
      code: 'corrupt-header',
      message: expect.stringMatching(/^TIFF file is damaged: no metadata could be read \(IFD0 offset points to outside of file\.?\)/),
    });
  });

  it('a file with a TIFF signature and garbage after it is an error', async () => {
    const junk = new Uint8Array(4096).map((_, i) => (i * 131 + 7) & 0xff);
    junk.set([0x49, 0x49, 0x2a, 0x00]);
    expect(await decide(junk)).toMatchObject({ code: 'corrupt-header', message: expect.stringMatching(/^TIFF file is damaged/) });
  });

  it('a HEIC cut off before its metadata is still unsupported-format (nothing to keep)', async () => {
    const r = await decide(HEIC.slice(0, 64));
    expect(r).toEqual({ code: 'unsupported-format', message: expect.stringMatching(/^HEIC\/HEIF images cannot be decoded .*no readable metadata to keep/) });
  });

  it('a HEIC cut in half keeps its metadata (it sits before the image data)', async () => {
    expect(await decide(HEIC.slice(0, HEIC.length >> 1))).toMatchObject({ format: 'heic', width: 4032, height: 3024 });
  });

  it('size: orientation 5–8 swaps it, an unknown or half-known size is 0 × 0, damage with some fields is kept', () => {
    const heic = new UndecodableFormatError('heic', 'x');
    expect(metadataOnly(heic, { exifWidth: 4032, exifHeight: 3024, orientation: 6, raw: { Orientation: 6 } })).toMatchObject({ width: 3024, height: 4032 });
    expect(metadataOnly(heic, { exifWidth: 4032, exifHeight: 3024, orientation: 3, raw: { Orientation: 3 } })).toMatchObject({ width: 4032, height: 3024 });
    expect(metadataOnly(heic, { make: 'Apple', raw: { Make: 'Apple' } })).toMatchObject({ width: 0, height: 0 });
    expect(metadataOnly(heic, { exifWidth: 4032, raw: { ExifImageWidth: 4032 } })).toMatchObject({ width: 0, height: 0 });
    expect(metadataOnly(heic, { raw: { ImageWidth: -5, ImageHeight: 1.5 } })).toMatchObject({ width: 0, height: 0 });
    expect(metadataOnly(heic, { make: 'Apple', raw: { Make: 'Apple', errors: ['Error: GPS IFD is damaged'] } })).toMatchObject({ format: 'heic' });
    expect(() => metadataOnly(heic, null)).toThrow(/no readable metadata/);
    expect(() => metadataOnly(heic, { raw: {}, warning: 'metadata could not be read (Unknown file format)' })).toThrow(
      /^HEIC file is damaged: no metadata could be read \(metadata could not be read \(Unknown file format\)\)/,
    );
  });

  it('a stored metadata-only record counts in analytics by camera, month and creator, and exports with its flag', async () => {
    const m = metadataOnly(undecodable(HEIC), await readExif(HEIC));
    const image: ImageRecord = {
      id: 'a'.repeat(64),
      name: 'IMG_5195.HEIC',
      bytes: HEIC.length,
      format: m.format,
      width: m.width,
      height: m.height,
      addedAt: Date.UTC(2024, 0, 2),
      source: { kind: 'file' },
      exif: { ...(await readExif(HEIC))!, artist: 'Ann' },
      metadataOnly: true,
      note: m.note,
    };
    const r = toRecord(image);
    expect(r).toMatchObject({ camera: 'Apple iPhone 11 Pro Max', month: '2021-04', creator: 'Ann', label: '', tag: '', objects: [], colour: null });
    expect(r.megapixels).toBeCloseTo(12.19, 2);
    const a = aggregate([r]);
    expect(a).toMatchObject({ total: 1, cameras: [['Apple iPhone 11 Pro Max', 1]], months: [['2021-04', 1]], creators: [['Ann', 1]], labels: [], tags: [] });
    const doc = JSON.parse(resultsJson([{ image, result: undefined }], []));
    expect(doc.images[0]).toMatchObject({ format: 'heic', metadataOnly: true, note: m.note, facts: null, exif: { make: 'Apple' } });
    expect(doc.images[0].classification).toBeUndefined();
    expect(resultsCsv([{ image, result: undefined }])).toContain('Apple iPhone 11 Pro Max');
  });
});
