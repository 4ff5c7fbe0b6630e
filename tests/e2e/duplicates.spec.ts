import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from './fixtures.ts';
import { imagenetFiles } from './helpers.ts';

test('a resized, re-encoded copy is grouped as a near-duplicate; keeping one removes the others', async ({ page, app, importPanel, library, duplicates }) => {
  await app.open(undefined, { model: 'none' });
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
  await importPanel.addFiles([original, other]);
  await importPanel.addFiles([{ name: 'copy-small.jpg', mimeType: 'image/jpeg', buffer: Buffer.from(b64, 'base64') }]);
  await importPanel.expectStatus('1 stored');
  // The exact same file again is not stored twice.
  await importPanel.addFiles([original]);
  await importPanel.expectStatus('1 already in library');

  await app.open('duplicates');
  await expect(duplicates.groups).toHaveCount(1);
  const group = duplicates.groups;
  await expect(group.locator('figure')).toHaveCount(2);
  await expect(group).toContainText(path.basename(original));
  await expect(group).toContainText('copy-small.jpg');
  await duplicates.keep(path.basename(original));
  await expect(duplicates.none).toBeVisible();
  await app.open('library');
  await library.expectCount(2);
});
