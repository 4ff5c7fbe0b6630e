import { expect, test } from '@playwright/test';
import path from 'node:path';
import { addFiles, DATA, exportJson, imagenetFiles } from './helpers.ts';

test('the library survives a reload, and re-adding the same files stores nothing twice', async ({ page }) => {
  await page.goto('/');
  const files = imagenetFiles().slice(0, 4);
  await addFiles(page, files);
  await expect(page.getByTestId('library-count')).toHaveText('4');
  const before = await page.getByTestId('library-item').evaluateAll((els) => els.map((e) => e.textContent));

  await page.reload();
  await expect(page.getByTestId('library-count')).toHaveText('4');
  expect(await page.getByTestId('library-item').evaluateAll((els) => els.map((e) => e.textContent))).toEqual(before);
  // Thumbnails come from the stored thumbnails, not the originals.
  await expect(page.getByTestId('library-item').first().locator('img')).toHaveAttribute('src', /^blob:/);

  await addFiles(page, files);
  await expect(page.getByTestId('batch-status')).toContainText('0 stored · 0 failed · 4 already in library');
  await expect(page.getByTestId('library-count')).toHaveText('4');
});

test('EXIF orientation is applied before resizing: a rotated portrait photo is stored upright', async ({ page }) => {
  await page.goto('/');
  // Its JPEG header says 600×450; EXIF orientation 6 turns it into a 450×600 portrait.
  await addFiles(page, [path.join(DATA, 'exif/ianare__jpg__orientation__portrait_6.jpg')]);
  const { images } = await exportJson(page);
  expect(images).toHaveLength(1);
  expect([images[0].width, images[0].height]).toEqual([450, 600]);
});
