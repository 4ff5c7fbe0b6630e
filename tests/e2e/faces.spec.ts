// Faces in imported photos with the real human models: people enrolled from labelled photos are named, others are Unknown.
import { expect, test } from '@playwright/test';
import { copyFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ENROL, enrol, FACES, gallery } from './faces-helpers.ts';
import { addFiles, DATA } from './helpers.ts';

test('enrolled people are named in imported photos; others are Unknown', async ({ page }) => {
  await enrol(page, gallery('photos', ENROL), ['vlado', 'penny', 'sheldon']);
  await page.goto('/?faces=1&model=none#library');
  await addFiles(page, [
    path.join(FACES, 'vlado/person-vlado1.jpg'),
    path.join(FACES, 'penny/penny2.png'),
    path.join(FACES, 'stock-emotions-a/stock-emotions-a-1.jpg'),
  ]);
  const open = async (name: string) => {
    await page.locator(`[data-testid=library-item][data-name="${name}"]`).click();
    return page.getByTestId('detail');
  };
  for (const [file, who] of [
    ['person-vlado1.jpg', 'vlado'],
    ['penny2.png', 'penny'],
    ['stock-emotions-a-1.jpg', 'Unknown'],
  ]) {
    const d = await open(file);
    await expect(d.getByTestId('detail-face').first()).toHaveAttribute('data-name', who);
    await expect(d.getByTestId('face-box').first()).toHaveAttribute('data-name', who);
    await d.getByRole('button', { name: 'Close' }).click();
  }
});

test('people seen: analytics counts named people, follows a rename and a confirmation, and a bar opens their photos', async ({ page }) => {
  await enrol(page, gallery('analytics', ENROL), ['vlado', 'penny', 'sheldon']);
  await page.goto('/?faces=1&model=none#library');
  await addFiles(page, [
    path.join(FACES, 'vlado/person-vlado1.jpg'),
    path.join(FACES, 'penny/penny2.png'),
    path.join(FACES, 'stock-emotions-a/stock-emotions-a-1.jpg'),
  ]);

  // The analytics worker has counted them before the changes below: it must follow them (faces results rewritten in place).
  await page.goto('/#analytics');
  const chart = page.getByTestId('chart-people').locator('[role=img]');
  await expect(chart).toHaveAttribute('aria-label', /penny: 1/);

  // Rename penny; name the stranger from the detail view (a confirmation).
  await page.goto('/#people');
  const penny = page.locator('[data-testid=person][data-name="penny"]');
  await penny.locator('summary').click();
  await penny.getByTestId('rename-input').fill('Penny H');
  await penny.getByRole('button', { name: 'Rename' }).click();
  await expect(page.locator('[data-testid=person][data-name="Penny H"]')).toBeVisible();
  await page.goto('/#library');
  await page.locator('[data-testid=library-item][data-name="stock-emotions-a-1.jpg"]').click();
  const d = page.getByTestId('detail');
  await d.getByLabel("New person's name").fill('Stock A');
  await d.getByRole('button', { name: 'Add' }).click();
  await expect(d.getByTestId('detail-face').first()).toHaveAttribute('data-name', 'Stock A');
  await d.getByRole('button', { name: 'Close' }).click();

  await page.goto('/#analytics');
  await expect(page.getByTestId('an-total')).toHaveAttribute('data-how', /delta|snapshot/);
  await expect(chart).toHaveAttribute('aria-label', /vlado: 1/);
  await expect(chart).toHaveAttribute('aria-label', /Penny H: 1/);
  await expect(chart).toHaveAttribute('aria-label', /Stock A: 1/);
  await page.getByTestId('chart-people').locator('summary').click();
  await page.getByTestId('chart-people-pick').filter({ hasText: 'vlado' }).click();
  await expect(page).toHaveURL(/#library$/);
  await expect(page.getByTestId('library-item')).toHaveCount(1);
  await expect(page.getByTestId('library-item')).toHaveAttribute('data-name', 'person-vlado1.jpg');
});

test('backup → new browser profile → restore brings back people, their faces and the names in photos', async ({ page, browser }) => {
  await enrol(page, gallery('backup', ENROL), ['vlado', 'penny', 'sheldon']);
  await page.goto('/?faces=1&model=none#library');
  await addFiles(page, [path.join(FACES, 'vlado/person-vlado1.jpg')]);
  await page.goto('/#settings');
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('backup-export').click()]);
  const backup = await dl.path();

  const fresh = await browser.newContext();
  const p2 = await fresh.newPage();
  await p2.goto('/#settings');
  await p2.setInputFiles('[data-testid=backup-import]', backup);
  await expect(p2.getByTestId('backup-message')).toContainText('3 people with 4 faces');
  await p2.goto('/#people');
  for (const n of ['vlado', 'penny', 'sheldon']) await expect(p2.locator(`[data-testid=person][data-name="${n}"]`)).toBeVisible();
  await p2.goto('/#library');
  await p2.locator('[data-testid=library-item][data-name="person-vlado1.jpg"]').click();
  await expect(p2.getByTestId('detail-face').first()).toHaveAttribute('data-name', 'vlado');
  await fresh.close();
});

test('three photos of a stranger become a suggested person; naming it leaves confirmed faces alone', async ({ page }) => {
  await enrol(page, gallery('suggest', ENROL), ['vlado', 'penny', 'sheldon']);
  await page.goto('/?faces=1&model=none#library');
  const stranger = [1, 2, 3].map((i) => path.join(FACES, `stock-emotions-a/stock-emotions-a-${i}.jpg`));
  await addFiles(page, [...stranger, path.join(FACES, 'vlado/person-vlado1.jpg')]);
  // Confirm vlado's face by hand first: naming the suggestion must not touch it.
  await page.locator('[data-testid=library-item][data-name="person-vlado1.jpg"]').click();
  await page.getByTestId('detail').getByRole('button', { name: 'Confirm' }).click();
  await page.getByTestId('detail').getByRole('button', { name: 'Close' }).click();

  await page.goto('/#people');
  const s = page.getByTestId('suggestion');
  await expect(s).toHaveCount(1);
  await expect(s).toContainText('3 faces');
  await s.getByLabel('Name this person').fill('Stock A');
  await s.getByRole('button', { name: 'Name' }).click();
  await expect(page.getByTestId('suggestion')).toHaveCount(0);
  await expect(page.locator('[data-testid=person][data-name="Stock A"]')).toContainText('3 confirmed');
  await expect(page.locator('[data-testid=person][data-name="vlado"]')).toContainText('2 confirmed');
});

test('enrolment from a folder with broken files: each gets its own error, the good photos are enrolled, nothing else stored', async ({ page }) => {
  const dir = gallery('hostile', { penny: ['penny/penny1.png'], sheldon: ['sheldon/sheldon1.png'] });
  const bad = path.join(DATA, 'bad');
  copyFileSync(path.join(bad, 'gen_empty.jpg'), path.join(dir, 'penny', 'empty.jpg'));
  copyFileSync(path.join(bad, 'gen_text_as.jpg'), path.join(dir, 'penny', 'text.jpg'));
  copyFileSync(path.join(bad, 'gen_png_header_100000x100000.png'), path.join(dir, 'sheldon', 'huge.png'));
  copyFileSync(path.join(DATA, 'imagenet', 'in_dev_0000.jpg'), path.join(dir, 'sheldon', 'no-face.jpg'));
  writeFileSync(path.join(dir, 'sheldon', 'notes.txt'), 'not a photo');
  await page.goto('/?faces=1#people');
  await page.setInputFiles('[data-testid=enrol-folder-input]', dir);
  const report = page.getByTestId('enrol-report');
  await expect(report).toContainText('penny (1)', { timeout: 90_000 });
  await expect(report).toContainText('sheldon (1)');
  const errors = page.getByTestId('enrol-errors').locator('li');
  await expect(errors).toHaveCount(5);
  await expect(errors.filter({ hasText: 'empty.jpg' })).toContainText(/empty/i);
  await expect(errors.filter({ hasText: 'text.jpg' })).toContainText(/not an image/i);
  await expect(errors.filter({ hasText: 'huge.png' })).toContainText(/declares 100000×100000.*limit is 64 MP/);
  await expect(errors.filter({ hasText: 'no-face.jpg' })).toContainText('no face found');
  await expect(errors.filter({ hasText: 'notes.txt' })).toContainText('not an image file');
  await expect(page.getByTestId('person')).toHaveCount(2);
  await expect(page.locator('[data-testid=person][data-name="penny"]')).toContainText('1 confirmed');
});
