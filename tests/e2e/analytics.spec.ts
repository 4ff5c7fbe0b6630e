import path from 'node:path';
import { parseCsvObjects } from '../../src/shared/csv.ts';
import { expect, test } from './fixtures.ts';
import { DATA, imagenetFiles } from './helpers.ts';

test('analytics: charts render from the worker, filters apply, a bar opens the matching images, CSV/PNG export', async ({
  page,
  app,
  importPanel,
  library,
  analytics,
}) => {
  await app.open(undefined, { model: 'mobilenetv2-12-int8' });
  await importPanel.addFiles([...imagenetFiles(), path.join(DATA, 'exif/ianare__jpg__Canon_40D.jpg'), path.join(DATA, 'exif/ianare__jpg__Nikon_D70.jpg')]);
  await app.open('analytics');
  await analytics.expectTotal(27);
  for (const name of ['labels', 'tags', 'cameras', 'months', 'megapixels']) await expect(analytics.chart(name).canvas).toBeVisible();
  await analytics.chart('cameras').expectCounts(/Canon EOS 40D: 1/);

  // Filter by tag: only the beer bottle is alcohol.
  await analytics.tagFilter.selectOption('alcohol');
  await analytics.expectTotal(1);
  await analytics.tagFilter.selectOption('');
  await analytics.expectTotal(27);

  // CSV and PNG export of one chart.
  const rows = parseCsvObjects(await analytics.chart('tags').exportCsv());
  expect(rows.reduce((s, r) => s + Number(r.count), 0)).toBe(27);
  expect((await analytics.chart('tags').exportPng()).subarray(1, 4).toString()).toBe('PNG');

  // A click on a bar (here via its keyboard twin) opens the matching images in the library.
  await analytics.chart('cameras').pick('NIKON');
  await expect(page).toHaveURL(/#library$/);
  await expect(library.pickChip).toContainText('camera: NIKON CORPORATION NIKON D70');
  await expect(library.items).toHaveCount(1);
  await expect(library.items).toHaveAttribute('data-name', 'ianare__jpg__Nikon_D70.jpg');
  await library.clearPick();
  await expect(library.items).toHaveCount(27);

  // A real click on the canvas bar works too (the biggest tag bar is 'safe').
  await app.open('analytics');
  const tags = analytics.chart('tags');
  await expect(tags.figure).toHaveAttribute('aria-label', /safe: \d+/);
  const safe = await tags.count('safe');
  const box = (await tags.canvas.boundingBox())!;
  await page.mouse.click(box.x + box.width * 0.2, box.y + box.height * 0.6);
  await expect(library.pickChip).toContainText('tag: safe');
  await expect(library.items).toHaveCount(safe);
});

test('analytics: images without an EXIF artist count as "imported by" the profile that was active when they were added', async ({
  app,
  importPanel,
  library,
  analytics,
  forYou,
}) => {
  await app.open('for-you', { model: 'none' });
  await forYou.createProfile('Alice');
  await app.open('library', { model: 'none' });
  await importPanel.addFiles(imagenetFiles().slice(0, 3));
  await app.open('analytics');
  await analytics.expectTotal(3);
  const creators = analytics.chart('creators');
  await creators.expectCounts(/imported by Alice: 3/);
  await creators.pick('imported by Alice');
  await expect(library.pickChip).toContainText('creator: imported by Alice');
  await expect(library.items).toHaveCount(3);
});

test('analytics after changes: the worker reads only what changed (images added after the first query, a removed one), and a fresh worker starts from its persisted rows', async ({
  page,
  app,
  importPanel,
  library,
  analytics,
  debug,
}) => {
  const at = (view: 'library' | 'analytics') => app.open(view, { debug: '', model: 'none' });
  await at('library');
  await importPanel.addFiles(imagenetFiles().slice(0, 3));
  await at('analytics');
  await analytics.expectTotal(3, 'full');

  // A batch after the first query: only the new images are read.
  await at('library');
  await importPanel.addFiles(imagenetFiles().slice(3, 6));
  await at('analytics');
  await analytics.expectTotal(6, 'delta');
  await analytics.chart('months').expectCounts(/: 6/);

  // A removed image is gone from every count.
  await at('library');
  await (await library.open()).remove();
  await expect(library.items).toHaveCount(5);
  await at('analytics');
  await analytics.expectTotal(5, 'delta');

  // Nothing changed: nothing is read.
  await at('library');
  await at('analytics');
  await expect(analytics.total).toHaveAttribute('data-how', 'cached');

  // The worker stopped (as after a minute idle) and the page reloaded: the new worker starts from the persisted rows.
  await debug.run((api) => api.stopAnalyticsWorker());
  await page.reload();
  await analytics.expectTotal(5, 'snapshot');
});
