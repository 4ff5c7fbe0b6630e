import path from 'node:path';
import { expect, test } from './fixtures.ts';
import { DATA, imagenetFiles } from './helpers.ts';

test('the library survives a reload, and re-adding the same files stores nothing twice', async ({ page, app, importPanel, library }) => {
  await app.open();
  const files = imagenetFiles().slice(0, 4);
  await importPanel.addFiles(files);
  await library.expectCount(4);
  const cards = () => library.items.evaluateAll((els) => els.map((e) => e.textContent));
  const before = await cards();

  await page.reload();
  await library.expectCount(4);
  expect(await cards()).toEqual(before);
  // Thumbnails come from the stored thumbnails, not the originals.
  await expect(library.items.first().locator('img')).toHaveAttribute('src', /^blob:/);

  await importPanel.addFiles(files);
  await importPanel.expectStatus('0 stored · 0 failed · 4 already in library');
  await library.expectCount(4);
});

test('EXIF orientation is applied before resizing: a rotated portrait photo is stored upright', async ({ app, importPanel, library }) => {
  await app.open();
  // Its JPEG header says 600×450; EXIF orientation 6 turns it into a 450×600 portrait.
  await importPanel.addFiles([path.join(DATA, 'exif/ianare__jpg__orientation__portrait_6.jpg')]);
  const { images } = await library.exportJson();
  expect(images).toHaveLength(1);
  expect([images[0].width, images[0].height]).toEqual([450, 600]);
});
