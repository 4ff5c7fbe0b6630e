import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from './fixtures.ts';
import { DATA } from './helpers.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const expected = JSON.parse(readFileSync(path.join(DATA, 'exif/expected_exiftool.json'), 'utf8')) as Record<string, string | number>[];
const want = (file: string) => expected.find((e) => e.FileName === file)!;

test('EXIF, GPS and image facts are read in the worker and shown in the detail view', async ({ app, importPanel, library }) => {
  await app.open(undefined, { model: 'none' });
  const file = 'ianare__jpg__gps__DSCN0010.jpg';
  await importPanel.addFiles([path.join(DATA, 'exif', file), path.join(DATA, 'exif/exifr__noexif.jpg')]);
  await importPanel.expectStatus('2 stored · 0 failed');
  const detail = await library.open(file);
  const e = want(file);
  await expect(detail.exifCamera).toHaveText(`${e.Make} ${e.Model}`);
  await expect(detail.exifDate).toHaveText(String(e.DateTimeOriginal).replace(/^(\d{4}):(\d{2}):(\d{2})/, '$1-$2-$3'));
  await expect(detail.exifGps).toContainText(Number(e.GPSLatitude).toFixed(5));
  await expect(detail.exifGps.locator('a')).toHaveAttribute('href', /openstreetmap\.org/);
  await expect(detail.palette.locator('.swatch')).toHaveCount(5);
  await detail.escape();

  const { images } = await library.exportJson();
  const noexif = images.find((i) => i.file === 'exifr__noexif.jpg')!;
  expect(noexif.exif).toBeNull();
  expect(noexif.facts!.dhash).toMatch(/^[0-9a-f]{16}$/);
  expect(noexif.facts!.channels).toBe(3);
});

test('npm run batch --stages exif: every EXIF field in the JSON, no model run, HEIC/TIFF as metadata-only records', async () => {
  const out = path.join(mkdtempSync(path.join(os.tmpdir(), 'sightline-exif-')), 'exif.json');
  const r = spawnSync('node', ['--import', 'tsx', 'scripts/batch.ts', '--in', path.join(DATA, 'exif'), '--out', out, '--stages', 'exif'], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 170_000,
  });
  expect(r.status, r.stderr).toBe(0);
  const doc = JSON.parse(readFileSync(out, 'utf8'));
  const canon = doc.images.find((i: { file: string }) => i.file === 'ianare__jpg__Canon_40D.jpg');
  expect(canon.classification).toBeUndefined();
  expect(canon.exif.make).toBe(want('ianare__jpg__Canon_40D.jpg').Make);
  expect(Object.keys(canon.exif.raw).length).toBeGreaterThan(30);
  // Chromium cannot decode HEIC or TIFF: their metadata is kept, flagged, and they are not errors.
  expect(doc.errors).toEqual([]);
  const heic = doc.images.find((i: { file: string }) => i.file === 'ianare__heic__IMG_5195.HEIC');
  expect(heic).toMatchObject({ format: 'heic', metadataOnly: true, width: 4032, height: 3024, exif: { make: 'Apple', model: 'iPhone 11 Pro Max' } });
  const tiff = doc.images.find((i: { file: string }) => i.file === 'exifr__002.tiff');
  expect(tiff).toMatchObject({ format: 'tiff', metadataOnly: true, width: 640, height: 512, exif: { make: 'DJI', model: 'XT2' } });
  expect(canon.metadataOnly).toBeUndefined();
  expect(r.stdout).toMatch(/stored metadata only: ianare__heic__IMG_5195\.HEIC: This browser cannot decode HEIC/);
  expect(r.stdout).toContain('2 file(s) stored with metadata only');
});
