import { expect, test } from '@playwright/test';
import { addFiles, imagenetFiles } from './helpers.ts';

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
