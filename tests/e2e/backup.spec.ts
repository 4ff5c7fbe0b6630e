import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from './fixtures.ts';
import { imagenetFiles } from './helpers.ts';
import { sightline } from './pages/index.ts';

test('backup → a new browser profile → restore: library, tags, thumbnails and edited rules come back; bad files are refused', async ({
  browser,
  app,
  importPanel,
  library,
  settings,
}) => {
  await app.open();
  await importPanel.addFiles(imagenetFiles().slice(9, 12));
  // A profile with a like comes back too.
  const detail = await library.open();
  await detail.toggleLike();
  await detail.escape();
  await app.open('settings');
  const rules = await settings.rules();
  rules.categories[0].label = 'Weapons (edited)';
  await settings.saveRules(rules);
  await expect(settings.rulesSaved).toBeVisible();
  const backupPath = await settings.exportBackup();
  await app.open();
  const before = (await library.exportJson()).images;

  // A brand-new profile (fresh IndexedDB and localStorage).
  const fresh = await browser.newContext({ acceptDownloads: true });
  const p2 = sightline(await fresh.newPage());
  await p2.app.open('settings');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sightline-backup-'));
  const bad = path.join(dir, 'bad.json');
  writeFileSync(bad, '{"format":"sightline-backup","version":99}');
  await p2.settings.importBackup(bad);
  await p2.settings.expectBackupMessage('made by a newer Sightline');
  writeFileSync(bad, 'PK\u0003\u0004 zip bytes');
  await p2.settings.importBackup(bad);
  await p2.settings.expectBackupMessage('not valid JSON');

  await p2.settings.importBackup(backupPath);
  await p2.settings.expectBackupMessage('Restored 3 images, 3 results, 3 thumbnails, 1 profiles');
  await expect(p2.settings.rulesEditor).toHaveValue(/Weapons \(edited\)/);
  await p2.app.open('library');
  await p2.library.expectCount(3);
  await expect(p2.library.items.first().locator('img')).toHaveAttribute('src', /^blob:/);
  await expect(p2.library.tagged('alcohol')).toBeVisible();
  const after = (await p2.library.exportJson()).images;
  expect(after.map((i) => [i.file, i.sha256, i.classification?.top5[0].label]).sort()).toEqual(
    before.map((i) => [i.file, i.sha256, i.classification?.top5[0].label]).sort(),
  );
  // The backup file itself is plain JSON with the documented header.
  expect(JSON.parse(readFileSync(backupPath, 'utf8'))).toMatchObject({ format: 'sightline-backup', version: 2 });
  await p2.app.open('for-you');
  await expect(p2.forYou.root).toContainText('1 liked');
  await fresh.close();
});
