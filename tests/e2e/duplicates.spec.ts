import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { addFiles, imagenetFiles } from './helpers.ts';

test('a resized, re-encoded copy is grouped as a near-duplicate; keeping one removes the others', async ({ page }) => {
  await page.goto('/?model=none');
  const [original, other] = [imagenetFiles()[6], imagenetFiles()[7]];
  // Make the copy in the browser: 70 % size, JPEG quality 0.6 (different bytes, same picture).
  const b64 = await page.evaluate(async (data) => {
    const bmp = await createImageBitmap(new Blob([Uint8Array.from(atob(data), (c) => c.charCodeAt(0))]));
    const c = new OffscreenCanvas(Math.round(bmp.width * 0.7), Math.round(bmp.height * 0.7));
    c.getContext('2d')!.drawImage(bmp, 0, 0, c.width, c.height);
    const bytes = new Uint8Array(await (await c.convertToBlob({ type: 'image/jpeg', quality: 0.6 })).arrayBuffer());
    let s = '';
    for (const x of bytes) s += String.fromCharCode(x);
    return btoa(s);
  }, readFileSync(original).toString('base64'));
  await addFiles(page, [original, other]);
  await page.setInputFiles('[data-testid=file-input]', [{ name: 'copy-small.jpg', mimeType: 'image/jpeg', buffer: Buffer.from(b64, 'base64') }]);
  await expect(page.getByTestId('batch-status')).toContainText('1 stored');
  // The exact same file again is not stored twice.
  await addFiles(page, [original]);
  await expect(page.getByTestId('batch-status')).toContainText('1 already in library');

  await page.goto('/#duplicates');
  await expect(page.getByTestId('dup-group')).toHaveCount(1);
  const group = page.getByTestId('dup-group');
  await expect(group.locator('figure')).toHaveCount(2);
  await expect(group).toContainText(path.basename(original));
  await expect(group).toContainText('copy-small.jpg');
  await group
    .locator('figure', { hasText: path.basename(original) })
    .getByTestId('dup-keep')
    .click();
  await expect(page.getByTestId('dup-none')).toBeVisible();
  await page.goto('/#library');
  await expect(page.getByTestId('library-count')).toHaveText('2');
});
