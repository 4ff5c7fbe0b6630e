import { expect, test } from '@playwright/test';
import { debugApi } from '../../scripts/lib/debug-api.ts';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseCsvObjects } from '../../src/shared/csv.ts';
import { addFiles, DATA, imagenetFiles } from './helpers.ts';

test('analytics: charts render from the worker, filters apply, a bar opens the matching images, CSV/PNG export', async ({ page }) => {
  await page.goto('/?model=mobilenetv2-12-int8');
  await addFiles(page, [...imagenetFiles(), path.join(DATA, 'exif/ianare__jpg__Canon_40D.jpg'), path.join(DATA, 'exif/ianare__jpg__Nikon_D70.jpg')]);
  await page.goto('/#analytics');
  await expect(page.getByTestId('an-total')).toContainText('27 images');
  for (const id of ['chart-labels', 'chart-tags', 'chart-cameras', 'chart-months', 'chart-megapixels'])
    await expect(page.getByTestId(id).locator('canvas')).toBeVisible();
  await expect(page.getByTestId('chart-cameras')).toContainText('');
  const cams = page.getByTestId('chart-cameras').locator('[role=img]');
  await expect(cams).toHaveAttribute('aria-label', /Canon EOS 40D: 1/);

  // Filter by tag: only the beer bottle is alcohol.
  await page.getByTestId('an-tag').selectOption('alcohol');
  await expect(page.getByTestId('an-total')).toContainText('1 images');
  await page.getByTestId('an-tag').selectOption('');
  await expect(page.getByTestId('an-total')).toContainText('27 images');

  // CSV and PNG export of one chart.
  const csvDl = page.waitForEvent('download');
  await page.getByTestId('chart-tags').getByRole('button', { name: /CSV/ }).click();
  const rows = parseCsvObjects(readFileSync(await (await csvDl).path(), 'utf8'));
  expect(rows.reduce((s, r) => s + Number(r.count), 0)).toBe(27);
  const pngDl = page.waitForEvent('download');
  await page.getByTestId('chart-tags').getByRole('link', { name: /PNG/ }).click();
  expect(
    readFileSync(await (await pngDl).path())
      .subarray(1, 4)
      .toString(),
  ).toBe('PNG');

  // A click on a bar (here via its keyboard twin) opens the matching images in the library.
  await page.getByTestId('chart-cameras').locator('summary').click();
  await page.getByTestId('chart-cameras-pick').filter({ hasText: 'NIKON' }).click();
  await expect(page).toHaveURL(/#library$/);
  await expect(page.getByTestId('pick-chip')).toContainText('camera: NIKON CORPORATION NIKON D70');
  await expect(page.getByTestId('library-item')).toHaveCount(1);
  await expect(page.getByTestId('library-item')).toHaveAttribute('data-name', 'ianare__jpg__Nikon_D70.jpg');
  await page.getByTestId('pick-chip').getByRole('button').click();
  await expect(page.getByTestId('library-item')).toHaveCount(27);

  // A real click on the canvas bar works too (the biggest tag bar is 'safe').
  await page.goto('/#analytics');
  const safe = Number(/safe: (\d+)/.exec((await page.getByTestId('chart-tags').locator('[role=img]').getAttribute('aria-label'))!)![1]);
  const canvas = page.getByTestId('chart-tags').locator('canvas');
  const box = (await canvas.boundingBox())!;
  await page.mouse.click(box.x + box.width * 0.2, box.y + box.height * 0.6);
  await expect(page.getByTestId('pick-chip')).toContainText('tag: safe');
  await expect(page.getByTestId('library-item')).toHaveCount(safe);
});

test('analytics: images without an EXIF artist count as "imported by" the profile that was active when they were added', async ({ page }) => {
  await page.goto('/?model=none#for-you');
  await page.getByTestId('profile-name').fill('Alice');
  await page.getByTestId('profile-create').click();
  await expect(page.getByTestId('profile-select')).toHaveValue(/.+/);
  await page.goto('/?model=none#library');
  await addFiles(page, imagenetFiles().slice(0, 3));
  await page.goto('/#analytics');
  await expect(page.getByTestId('an-total')).toContainText('3 images');
  await expect(page.getByTestId('chart-creators').locator('[role=img]')).toHaveAttribute('aria-label', /imported by Alice: 3/);
  await page.getByTestId('chart-creators').locator('summary').click();
  await page.getByTestId('chart-creators-pick').filter({ hasText: 'imported by Alice' }).click();
  await expect(page.getByTestId('pick-chip')).toContainText('creator: imported by Alice');
  await expect(page.getByTestId('library-item')).toHaveCount(3);
});

test('analytics after changes: the worker reads only what changed (images added after the first query, a removed one), and a fresh worker starts from its persisted rows', async ({
  page,
}) => {
  const at = (hash: string) => page.goto(`/?debug&model=none#${hash}`);
  const total = page.getByTestId('an-total');
  await at('library');
  await addFiles(page, imagenetFiles().slice(0, 3));
  await at('analytics');
  await expect(total).toContainText('3 images');
  await expect(total).toHaveAttribute('data-how', 'full');

  // A batch after the first query: only the new images are read.
  await at('library');
  await addFiles(page, imagenetFiles().slice(3, 6));
  await at('analytics');
  await expect(total).toContainText('6 images');
  await expect(total).toHaveAttribute('data-how', 'delta');
  const months = page.getByTestId('chart-months').locator('[role=img]');
  await expect(months).toHaveAttribute('aria-label', /: 6/);

  // A removed image is gone from every count.
  await at('library');
  await page.locator('[data-testid=library-item]').first().click();
  await page.getByTestId('detail').getByRole('button', { name: 'Remove from library' }).click();
  await expect(page.getByTestId('library-item')).toHaveCount(5);
  await at('analytics');
  await expect(total).toContainText('5 images');
  await expect(total).toHaveAttribute('data-how', 'delta');

  // Nothing changed: nothing is read.
  await at('library');
  await at('analytics');
  await expect(total).toHaveAttribute('data-how', 'cached');

  // The worker stopped (as after a minute idle) and the page reloaded: the new worker starts from the persisted rows.
  await debugApi(page).run((api) => api.stopAnalyticsWorker());
  await page.reload();
  await expect(total).toContainText('5 images');
  await expect(total).toHaveAttribute('data-how', 'snapshot');
});
