import { expect, test } from '@playwright/test';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { addFiles, exportJson, imagenetFiles } from './helpers.ts';

test('backup → a new browser profile → restore: library, tags, thumbnails and edited rules come back; bad files are refused', async ({ page, browser }) => {
  await page.goto('/');
  await addFiles(page, imagenetFiles().slice(9, 12));
  // A profile with a like comes back too.
  await page.locator('[data-testid=library-item]').first().click();
  await page.getByTestId('like').click();
  await expect(page.getByTestId('like')).toHaveAttribute('aria-pressed', 'true');
  await page.keyboard.press('Escape');
  await page.goto('/#settings');
  const editor = page.getByTestId('rules-editor');
  const rules = JSON.parse(await editor.inputValue());
  rules.categories[0].label = 'Weapons (edited)';
  await editor.fill(JSON.stringify(rules));
  await page.getByTestId('rules-save').click();
  await expect(page.getByTestId('rules-saved')).toBeVisible();
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('backup-export').click()]);
  const backupPath = await dl.path();
  await page.goto('/');
  const before = (await exportJson(page)).images;

  // A brand-new profile (fresh IndexedDB and localStorage).
  const fresh = await browser.newContext({ acceptDownloads: true });
  const p2 = await fresh.newPage();
  await p2.goto('/#settings');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sightline-backup-'));
  const bad = path.join(dir, 'bad.json');
  writeFileSync(bad, '{"format":"sightline-backup","version":99}');
  await p2.setInputFiles('[data-testid=backup-import]', bad);
  await expect(p2.getByTestId('backup-message')).toContainText('made by a newer Sightline');
  writeFileSync(bad, 'PK\u0003\u0004 zip bytes');
  await p2.setInputFiles('[data-testid=backup-import]', bad);
  await expect(p2.getByTestId('backup-message')).toContainText('not valid JSON');

  await p2.setInputFiles('[data-testid=backup-import]', backupPath);
  await expect(p2.getByTestId('backup-message')).toContainText('Restored 3 images, 3 results, 3 thumbnails, 1 profiles');
  await expect(p2.getByTestId('rules-editor')).toHaveValue(/Weapons \(edited\)/);
  await p2.goto('/#library');
  await expect(p2.getByTestId('library-count')).toHaveText('3');
  await expect(p2.getByTestId('library-item').first().locator('img')).toHaveAttribute('src', /^blob:/);
  await expect(p2.locator('[data-testid=library-item] [data-tag=alcohol]')).toBeVisible();
  const after = (await exportJson(p2)).images;
  expect(after.map((i) => [i.file, i.sha256, i.classification?.top5[0].label]).sort()).toEqual(
    before.map((i) => [i.file, i.sha256, i.classification?.top5[0].label]).sort(),
  );
  // The backup file itself is plain JSON with the documented header.
  expect(JSON.parse(readFileSync(backupPath, 'utf8'))).toMatchObject({ format: 'sightline-backup', version: 2 });
  await p2.goto('/#for-you');
  await expect(p2.getByTestId('for-you')).toContainText('1 liked');
  await fresh.close();
});
