import path from 'node:path';
import { filesForPage } from '../../scripts/lib/debug-api.ts';
import { expect, test } from './fixtures.ts';
import { DATA, imagenetFiles } from './helpers.ts';

test('pause holds the batch between files; resume finishes it', async ({ page, app, importPanel }) => {
  await app.open(undefined, { model: 'resnet50-keras-fp32' }); // the slow model, so the batch is still running when we pause
  await importPanel.start(imagenetFiles());
  await importPanel.expectStatus(/[2-9] stored/, 60_000);
  await importPanel.pause();
  const atPause = await importPanel.finished();
  // The file in flight finishes, then the batch waits between files (parked): at most one more, then nothing moves.
  await expect(importPanel.status).toHaveAttribute('data-parked', 'true', { timeout: 60_000 });
  const held = await importPanel.finished();
  expect(held - atPause).toBeLessThanOrEqual(1);
  await page.waitForTimeout(1500);
  expect(await importPanel.finished()).toBe(held);
  await importPanel.resume();
  await importPanel.expectState('done', 120_000);
  await importPanel.expectStatus('25 stored · 0 failed');
});

test('a folder batch (File System Access handle) survives a reload and resumes, skipping what was stored', async ({
  page,
  app,
  importPanel,
  library,
  debug,
}) => {
  await app.open(undefined, { debug: '', model: 'mobilenetv2-12-int8' });
  const all = imagenetFiles().slice(0, 8);
  // Three of the folder's images are already in the library.
  await importPanel.addFiles(all.slice(0, 3));
  // An origin-private folder stands in for the one the native picker would return (same handle type).
  await debug.run(async (api, sent) => {
    const dir = await api.writeFolder('holiday', sent);
    // Started paused, so the reload below lands mid-batch however fast this machine is; not awaited: the page reloads.
    void api.runFolder(dir, true);
  }, filesForPage(all));
  await importPanel.expectState('paused');
  await page.reload();
  await expect(importPanel.resumeBanner).toContainText('“holiday” (8 files)');
  await importPanel.resumeJob.click();
  await importPanel.expectState('done', 60_000);
  await importPanel.expectStatus('5 stored · 0 failed · 3 already in library');
  await library.expectCount(8);
  // Finished jobs are not offered again.
  await page.reload();
  await library.expectCount(8);
  await expect(importPanel.resumeBanner).toHaveCount(0);
});

test('a folder of hostile files through the folder input: per-file errors, the batch completes', async ({ app, importPanel, library }) => {
  await app.open(undefined, { model: 'mobilenetv2-12-int8' });
  await importPanel.addFolder(path.join(DATA, 'bad'), 60_000);
  await importPanel.expectState('done');
  const { images, errors } = await library.exportJson();
  expect(images.length + errors.length).toBe(19); // 19 images by extension; manifest.csv and sha256sums ignored
  expect(errors.length).toBeGreaterThanOrEqual(14);
  expect(errors.every((e) => e.file.startsWith('bad/') && e.code !== 'inference-failed')).toBe(true);
});

test('editing the content rules re-derives tags without re-running the models; bad rules are refused', async ({ app, importPanel, library, settings }) => {
  await app.open();
  await importPanel.addFiles([imagenetFiles()[11]]); // beer bottle
  await expect(library.tagged('alcohol')).toBeVisible();
  const before = await importPanel.status.textContent();

  await app.open('settings');
  const rules = await settings.rules();
  for (const k of rules.categories.find((c) => c.id === 'alcohol')!.classes) k.threshold = 0.999;
  await settings.saveRules(rules);
  await expect(settings.rulesSaved).toContainText(`version ${rules.version + 1}`);

  await app.open('library');
  await expect(library.tagged('safe')).toBeVisible();
  expect(await importPanel.status.textContent()).toBe(before); // no batch ran again

  await app.open('settings');
  await settings.saveRules('{ "version": 3, "categories": [');
  await expect(settings.rulesErrors).toContainText('not valid JSON');
  rules.categories[0].classes.push({ name: 'light sabre' });
  await settings.saveRules(rules);
  await expect(settings.rulesErrors).toContainText("'light sabre' is not a classifier label");

  await settings.resetRules();
  await app.open('library');
  await expect(library.tagged('alcohol')).toBeVisible();
});
