import { expect, test } from '@playwright/test';
import path from 'node:path';
import { debugApi, filesForPage } from '../../scripts/lib/debug-api.ts';
import { addFiles, DATA, exportJson, imagenetFiles } from './helpers.ts';

test('pause holds the batch between files; resume finishes it', async ({ page }) => {
  await page.goto('/?model=resnet50-keras-fp32'); // the slow model, so the batch is still running when we pause
  await page.setInputFiles('[data-testid=file-input]', imagenetFiles());
  const status = page.getByTestId('batch-status');
  await expect(status).toContainText(/[2-9] stored/, { timeout: 60_000 });
  await page.getByTestId('pause').click();
  await expect(status).toHaveAttribute('data-state', 'paused');
  // At most the file in flight finishes after pausing; then nothing moves.
  await page.waitForTimeout(1000);
  const held = await status.textContent();
  await page.waitForTimeout(1500);
  expect(await status.textContent()).toBe(held);
  await page.getByTestId('resume').click();
  await expect(status).toHaveAttribute('data-state', 'done', { timeout: 120_000 });
  await expect(status).toContainText('25 stored · 0 failed');
});

test('a folder batch (File System Access handle) survives a reload and resumes, skipping what was stored', async ({ page }) => {
  await page.goto('/?debug&model=mobilenetv2-12-int8');
  const all = imagenetFiles().slice(0, 8);
  // Three of the folder's images are already in the library.
  await addFiles(page, all.slice(0, 3));
  // An origin-private folder stands in for the one the native picker would return (same handle type).
  await debugApi(page).run(async (api, sent) => {
    const dir = await api.writeFolder('holiday', sent);
    // Started paused, so the reload below lands mid-batch however fast this machine is; not awaited: the page reloads.
    void api.runFolder(dir, true);
  }, filesForPage(all));
  await expect(page.getByTestId('batch-status')).toHaveAttribute('data-state', 'paused');
  await page.reload();
  await expect(page.getByTestId('resume-banner')).toContainText('“holiday” (8 files)');
  await page.getByTestId('resume-job').click();
  const status = page.getByTestId('batch-status');
  await expect(status).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  await expect(status).toContainText('5 stored · 0 failed · 3 already in library');
  await expect(page.getByTestId('library-count')).toHaveText('8');
  // Finished jobs are not offered again.
  await page.reload();
  await expect(page.getByTestId('library-count')).toHaveText('8');
  await expect(page.getByTestId('resume-banner')).toHaveCount(0);
});

test('a folder of hostile files through the folder input: per-file errors, the batch completes', async ({ page }) => {
  await page.goto('/?model=mobilenetv2-12-int8');
  await page.setInputFiles('[data-testid=folder-input]', path.join(DATA, 'bad'));
  await expect(page.getByTestId('batch-status')).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  const { images, errors } = await exportJson(page);
  expect(images.length + errors.length).toBe(19); // 19 images by extension; manifest.csv and sha256sums ignored
  expect(errors.length).toBeGreaterThanOrEqual(14);
  expect(errors.every((e) => e.file.startsWith('bad/') && e.code !== 'inference-failed')).toBe(true);
});

test('editing the content rules re-derives tags without re-running the models; bad rules are refused', async ({ page }) => {
  await page.goto('/');
  await addFiles(page, [imagenetFiles()[11]]); // beer bottle
  await expect(page.locator('[data-testid=library-item] [data-tag=alcohol]')).toBeVisible();
  const before = await page.getByTestId('batch-status').textContent();

  await page.goto('/#settings');
  const editor = page.getByTestId('rules-editor');
  const rules = JSON.parse(await editor.inputValue());
  for (const k of rules.categories.find((c: { id: string }) => c.id === 'alcohol').classes) k.threshold = 0.999;
  await editor.fill(JSON.stringify(rules));
  await page.getByTestId('rules-save').click();
  await expect(page.getByTestId('rules-saved')).toContainText(`version ${rules.version + 1}`);

  await page.goto('/#library');
  await expect(page.locator('[data-testid=library-item] [data-tag=safe]')).toBeVisible();
  expect(await page.getByTestId('batch-status').textContent()).toBe(before); // no batch ran again

  await page.goto('/#settings');
  await editor.fill('{ "version": 3, "categories": [');
  await page.getByTestId('rules-save').click();
  await expect(page.getByTestId('rules-errors')).toContainText('not valid JSON');
  rules.categories[0].classes.push({ name: 'light sabre' });
  await editor.fill(JSON.stringify(rules));
  await page.getByTestId('rules-save').click();
  await expect(page.getByTestId('rules-errors')).toContainText("'light sabre' is not a classifier label");

  await page.getByTestId('rules-reset').click();
  await page.goto('/#library');
  await expect(page.locator('[data-testid=library-item] [data-tag=alcohol]')).toBeVisible();
});
