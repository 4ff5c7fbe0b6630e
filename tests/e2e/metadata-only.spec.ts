// HEIC and TIFF: Chromium cannot decode them, so they are stored with their metadata only (EXIF, size from
// EXIF, a stand-in thumbnail), reported as notices rather than failures, and kept out of the model paths.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from './fixtures.ts';
import { DATA } from './helpers.ts';
import { sightline } from './pages/index.ts';

const expected = JSON.parse(readFileSync(path.join(DATA, 'exif/expected_exiftool.json'), 'utf8')) as Record<string, string | number>[];
const want = (file: string) => expected.find((e) => e.FileName === file)!;
const HEIC = 'ianare__heic__IMG_5195.HEIC';
const TIFF = 'exifr__002.tiff';
const JPEG = 'ianare__jpg__Canon_40D.jpg';

test('HEIC and TIFF are stored metadata-only with their EXIF, next to a classified JPEG, and nothing fails', async ({
  browser,
  app,
  importPanel,
  library,
  analytics,
  forYou,
  clusters,
  settings,
}) => {
  await app.open();
  await importPanel.addFiles([HEIC, TIFF, JPEG].map((f) => path.join(DATA, 'exif', f)));
  await importPanel.expectState('done');
  await importPanel.expectStatus('3 stored (2 metadata only) · 0 failed');
  await expect(importPanel.errorList).toHaveCount(0);
  await expect(importPanel.noticeRows).toHaveCount(2);
  await expect(importPanel.noticeRow(HEIC)).toContainText('cannot decode HEIC; metadata only');
  await expect(importPanel.noticeRow(TIFF)).toContainText('cannot decode TIFF');

  // Library: a badge on the two, a stand-in thumbnail; the JPEG is classified as usual.
  await library.expectCount(3);
  for (const f of [HEIC, TIFF]) {
    await expect(library.metadataOnlyBadge(library.item(f))).toHaveText('metadata only');
    await expect(library.item(f).locator('img')).toHaveAttribute('src', /^blob:/);
  }
  await expect(library.metadataOnlyBadge(library.item(JPEG))).toHaveCount(0);
  await expect(library.item(JPEG).locator('.prob')).toBeVisible();

  // Detail view: the note and the EXIF panel.
  for (const f of [HEIC, TIFF]) {
    const detail = await library.open(f);
    const e = want(f);
    await expect(detail.metadataOnlyNote).toContainText('convert to JPEG to analyse');
    await expect(detail.exifCamera).toHaveText(`${e.Make} ${e.Model}`);
    await expect(detail.exifDate).toContainText(String(e.DateTimeOriginal).replace(/^(\d{4}):(\d{2}):(\d{2})/, '$1-$2-$3'));
    await expect(detail.exifGps).toContainText(Number(e.GPSLatitude).toFixed(5));
    await expect(detail.exifGps.locator('a')).toHaveAttribute('href', /openstreetmap\.org/);
    await expect(detail.top5).toHaveCount(0);
    await expect(detail.similar).toHaveCount(0);
    await detail.escape();
  }
  const detail = await library.open(HEIC);
  await expect(detail.root).toContainText('4032 × 3024 px');
  await expect(detail.root).toContainText('HEIC');
  await detail.escape();

  // Export: flagged, with EXIF and without results.
  const { images, errors } = await library.exportJson();
  expect(errors).toEqual([]);
  const byFile = new Map(images.map((i) => [i.file, i]));
  expect(byFile.get(HEIC)).toMatchObject({ format: 'heic', width: 4032, height: 3024, metadataOnly: true, facts: null, exif: { make: 'Apple' } });
  expect(byFile.get(TIFF)).toMatchObject({ format: 'tiff', width: 640, height: 512, metadataOnly: true, exif: { make: 'DJI' } });
  expect(byFile.get(HEIC)!.classification).toBeUndefined();
  expect(byFile.get(JPEG)!.metadataOnly).toBeUndefined();

  // Adding them again: already in the library, no new notice.
  await importPanel.addFiles([HEIC, TIFF].map((f) => path.join(DATA, 'exif', f)));
  await importPanel.expectStatus('0 stored · 0 failed · 2 already in library');
  await expect(importPanel.noticeList).toHaveCount(0);

  // Analytics counts them by camera; recommendations and clusters leave them out without breaking.
  await app.open('analytics');
  await analytics.expectTotal(3);
  await expect(analytics.chart('cameras').picks('Apple iPhone 11 Pro Max (1)')).toHaveCount(1);
  await expect(analytics.chart('cameras').picks('DJI XT2 (1)')).toHaveCount(1);
  await app.open('for-you');
  await forYou.createProfile('Me');
  await expect(forYou.recs.first()).toBeVisible();
  await expect(forYou.recs).toHaveCount(1);
  await expect(forYou.recs).toHaveAttribute('data-name', JPEG);
  await app.open('clusters');
  await expect(clusters.root).toBeVisible();

  // Backup → a fresh profile → restore: the records come back, flagged, with their thumbnails.
  await app.open('settings');
  const backup = await settings.exportBackup();
  const fresh = await browser.newContext({ acceptDownloads: true });
  const p2 = sightline(await fresh.newPage());
  await p2.app.open('settings');
  await p2.settings.importBackup(backup);
  await p2.settings.expectBackupMessage('Restored 3 images');
  await p2.app.open('library');
  await p2.library.expectCount(3);
  await expect(p2.library.metadataOnlyBadge(p2.library.item(HEIC))).toBeVisible();
  await expect((await p2.library.open(TIFF)).exifCamera).toHaveText('DJI XT2');
  await fresh.close();
});
