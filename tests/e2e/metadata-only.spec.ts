// HEIC and TIFF: Chromium cannot decode them, so they are stored with their metadata only (EXIF, size from
// EXIF, a stand-in thumbnail), reported as notices rather than failures, and kept out of the model paths.
import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { addFiles, DATA, exportJson } from './helpers.ts';

const expected = JSON.parse(readFileSync(path.join(DATA, 'exif/expected_exiftool.json'), 'utf8')) as Record<string, string | number>[];
const want = (file: string) => expected.find((e) => e.FileName === file)!;
const HEIC = 'ianare__heic__IMG_5195.HEIC';
const TIFF = 'exifr__002.tiff';
const JPEG = 'ianare__jpg__Canon_40D.jpg';

test('HEIC and TIFF are stored metadata-only with their EXIF, next to a classified JPEG, and nothing fails', async ({ page, browser }) => {
  await page.goto('/');
  await addFiles(
    page,
    [HEIC, TIFF, JPEG].map((f) => path.join(DATA, 'exif', f)),
  );
  const status = page.getByTestId('batch-status');
  await expect(status).toHaveAttribute('data-state', 'done');
  await expect(status).toContainText('3 stored (2 metadata only) · 0 failed');
  await expect(page.getByTestId('error-list')).toHaveCount(0);
  await expect(page.getByTestId('notice-row')).toHaveCount(2);
  await expect(page.locator(`[data-testid=notice-row][data-file="${HEIC}"]`)).toContainText('cannot decode HEIC; metadata only');
  await expect(page.locator(`[data-testid=notice-row][data-file="${TIFF}"]`)).toContainText('cannot decode TIFF');

  // Library: a badge on the two, a stand-in thumbnail; the JPEG is classified as usual.
  await expect(page.getByTestId('library-count')).toHaveText('3');
  const card = (f: string) => page.locator(`[data-testid=library-item][data-name="${f}"]`);
  for (const f of [HEIC, TIFF]) {
    await expect(card(f).getByTestId('metadata-only-badge')).toHaveText('metadata only');
    await expect(card(f).locator('img')).toHaveAttribute('src', /^blob:/);
  }
  await expect(card(JPEG).getByTestId('metadata-only-badge')).toHaveCount(0);
  await expect(card(JPEG).locator('.prob')).toBeVisible();

  // Detail view: the note and the EXIF panel.
  const detail = page.getByTestId('detail');
  for (const f of [HEIC, TIFF]) {
    await card(f).click();
    const e = want(f);
    await expect(detail.getByTestId('metadata-only-note')).toContainText('convert to JPEG to analyse');
    await expect(detail.getByTestId('exif-camera')).toHaveText(`${e.Make} ${e.Model}`);
    await expect(detail.getByTestId('exif-date')).toContainText(String(e.DateTimeOriginal).replace(/^(\d{4}):(\d{2}):(\d{2})/, '$1-$2-$3'));
    await expect(detail.getByTestId('exif-gps')).toContainText(Number(e.GPSLatitude).toFixed(5));
    await expect(detail.getByTestId('exif-gps').locator('a')).toHaveAttribute('href', /openstreetmap\.org/);
    await expect(detail.getByTestId('top5')).toHaveCount(0);
    await expect(detail.getByTestId('similar')).toHaveCount(0);
    await page.keyboard.press('Escape');
  }
  await card(HEIC).click();
  await expect(detail).toContainText('4032 × 3024 px');
  await expect(detail).toContainText('HEIC');
  await page.keyboard.press('Escape');

  // Export: flagged, with EXIF and without results.
  const { images, errors } = await exportJson(page);
  expect(errors).toEqual([]);
  const byFile = new Map(images.map((i) => [i.file, i as unknown as Record<string, unknown> & { exif: { make: string } }]));
  expect(byFile.get(HEIC)).toMatchObject({ format: 'heic', width: 4032, height: 3024, metadataOnly: true, facts: null, exif: { make: 'Apple' } });
  expect(byFile.get(TIFF)).toMatchObject({ format: 'tiff', width: 640, height: 512, metadataOnly: true, exif: { make: 'DJI' } });
  expect(byFile.get(HEIC)!.classification).toBeUndefined();
  expect(byFile.get(JPEG)!.metadataOnly).toBeUndefined();

  // Adding them again: already in the library, no new notice.
  await addFiles(
    page,
    [HEIC, TIFF].map((f) => path.join(DATA, 'exif', f)),
  );
  await expect(status).toContainText('0 stored · 0 failed · 2 already in library');
  await expect(page.getByTestId('notice-list')).toHaveCount(0);

  // Analytics counts them by camera; recommendations and clusters leave them out without breaking.
  await page.goto('/#analytics');
  await expect(page.getByTestId('an-total')).toContainText('3 images');
  await expect(page.getByTestId('chart-cameras-pick').filter({ hasText: 'Apple iPhone 11 Pro Max (1)' })).toHaveCount(1);
  await expect(page.getByTestId('chart-cameras-pick').filter({ hasText: 'DJI XT2 (1)' })).toHaveCount(1);
  await page.goto('/#for-you');
  await page.getByTestId('profile-name').fill('Me');
  await page.getByTestId('profile-create').click();
  await expect(page.getByTestId('rec').first()).toBeVisible();
  await expect(page.getByTestId('rec')).toHaveCount(1);
  await expect(page.getByTestId('rec')).toHaveAttribute('data-name', JPEG);
  await page.goto('/#clusters');
  await expect(page.getByTestId('clusters')).toBeVisible();

  // Backup → a fresh profile → restore: the records come back, flagged, with their thumbnails.
  await page.goto('/#settings');
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('backup-export').click()]);
  const fresh = await browser.newContext({ acceptDownloads: true });
  const p2 = await fresh.newPage();
  await p2.goto('/#settings');
  await p2.setInputFiles('[data-testid=backup-import]', await dl.path());
  await expect(p2.getByTestId('backup-message')).toContainText('Restored 3 images');
  await p2.goto('/#library');
  await expect(p2.getByTestId('library-count')).toHaveText('3');
  await expect(p2.locator(`[data-testid=library-item][data-name="${HEIC}"]`).getByTestId('metadata-only-badge')).toBeVisible();
  await p2.locator(`[data-testid=library-item][data-name="${TIFF}"]`).click();
  await expect(p2.getByTestId('exif-camera')).toHaveText('DJI XT2');
  await fresh.close();
});
