// Faces in imported photos with the real human models: people enrolled from labelled photos are named, others are Unknown.
import { copyFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ENROL, FACES, gallery } from './faces-helpers.ts';
import { expect, test } from './fixtures.ts';
import { DATA } from './helpers.ts';
import { sightline } from './pages/index.ts';

const FACES_ON = { faces: 1, model: 'none' };

test('enrolled people are named in imported photos; others are Unknown', async ({ app, importPanel, library, people }) => {
  await people.enrol(gallery('photos', ENROL), ['vlado', 'penny', 'sheldon']);
  await app.open('library', FACES_ON);
  await importPanel.addFiles([
    path.join(FACES, 'vlado/person-vlado1.jpg'),
    path.join(FACES, 'penny/penny2.png'),
    path.join(FACES, 'stock-emotions-a/stock-emotions-a-1.jpg'),
  ]);
  for (const [file, who] of [
    ['person-vlado1.jpg', 'vlado'],
    ['penny2.png', 'penny'],
    ['stock-emotions-a-1.jpg', 'Unknown'],
  ]) {
    const d = await library.open(file);
    await expect(d.faces.first()).toHaveAttribute('data-name', who);
    await expect(d.faceBoxes.first()).toHaveAttribute('data-name', who);
    await d.close();
  }
});

test('people seen: analytics counts named people, follows a rename and a confirmation, and a bar opens their photos', async ({
  page,
  app,
  importPanel,
  library,
  people,
  analytics,
}) => {
  await people.enrol(gallery('analytics', ENROL), ['vlado', 'penny', 'sheldon']);
  await app.open('library', FACES_ON);
  await importPanel.addFiles([
    path.join(FACES, 'vlado/person-vlado1.jpg'),
    path.join(FACES, 'penny/penny2.png'),
    path.join(FACES, 'stock-emotions-a/stock-emotions-a-1.jpg'),
  ]);

  // The analytics worker has counted them before the changes below: it must follow them (faces results rewritten in place).
  await app.open('analytics');
  const chart = analytics.chart('people');
  await chart.expectCounts(/penny: 1/);

  // Rename penny; name the stranger from the detail view (a confirmation).
  await app.open('people');
  await people.rename('penny', 'Penny H');
  await app.open('library');
  const d = await library.open('stock-emotions-a-1.jpg');
  await d.nameNewPerson('Stock A');
  await expect(d.faces.first()).toHaveAttribute('data-name', 'Stock A');
  await d.close();

  await app.open('analytics');
  await expect(analytics.total).toHaveAttribute('data-how', /delta|snapshot/);
  await chart.expectCounts(/vlado: 1/);
  await chart.expectCounts(/Penny H: 1/);
  await chart.expectCounts(/Stock A: 1/);
  await chart.pick('vlado');
  await expect(page).toHaveURL(/#library$/);
  await expect(library.items).toHaveCount(1);
  await expect(library.items).toHaveAttribute('data-name', 'person-vlado1.jpg');
});

test('backup → new browser profile → restore brings back people, their faces and the names in photos', async ({
  browser,
  app,
  importPanel,
  people,
  settings,
}) => {
  await people.enrol(gallery('backup', ENROL), ['vlado', 'penny', 'sheldon']);
  await app.open('library', FACES_ON);
  await importPanel.addFiles([path.join(FACES, 'vlado/person-vlado1.jpg')]);
  await app.open('settings');
  const backup = await settings.exportBackup();

  const fresh = await browser.newContext();
  const p2 = sightline(await fresh.newPage());
  await p2.app.open('settings');
  await p2.settings.importBackup(backup);
  await p2.settings.expectBackupMessage('3 people with 4 faces');
  await p2.app.open('people');
  for (const n of ['vlado', 'penny', 'sheldon']) await expect(p2.people.person(n)).toBeVisible();
  await p2.app.open('library');
  await expect((await p2.library.open('person-vlado1.jpg')).faces.first()).toHaveAttribute('data-name', 'vlado');
  await fresh.close();
});

test('three photos of a stranger become a suggested person; naming it leaves confirmed faces alone', async ({ app, importPanel, library, people }) => {
  await people.enrol(gallery('suggest', ENROL), ['vlado', 'penny', 'sheldon']);
  await app.open('library', FACES_ON);
  const stranger = [1, 2, 3].map((i) => path.join(FACES, `stock-emotions-a/stock-emotions-a-${i}.jpg`));
  await importPanel.addFiles([...stranger, path.join(FACES, 'vlado/person-vlado1.jpg')]);
  // Confirm vlado's face by hand first: naming the suggestion must not touch it.
  const d = await library.open('person-vlado1.jpg');
  await d.confirmFace();
  await d.close();

  await app.open('people');
  const s = people.suggestions;
  await expect(s).toHaveCount(1);
  await expect(s).toContainText('3 faces');
  await people.nameSuggestion(s, 'Stock A');
  await expect(people.suggestions).toHaveCount(0);
  await expect(people.person('Stock A')).toContainText('3 confirmed');
  await expect(people.person('vlado')).toContainText('2 confirmed');
});

test('enrolment from a folder with broken files: each gets its own error, the good photos are enrolled, nothing else stored', async ({ people }) => {
  const dir = gallery('hostile', { penny: ['penny/penny1.png'], sheldon: ['sheldon/sheldon1.png'] });
  const bad = path.join(DATA, 'bad');
  copyFileSync(path.join(bad, 'gen_empty.jpg'), path.join(dir, 'penny', 'empty.jpg'));
  copyFileSync(path.join(bad, 'gen_text_as.jpg'), path.join(dir, 'penny', 'text.jpg'));
  copyFileSync(path.join(bad, 'gen_png_header_100000x100000.png'), path.join(dir, 'sheldon', 'huge.png'));
  copyFileSync(path.join(DATA, 'imagenet', 'in_dev_0000.jpg'), path.join(dir, 'sheldon', 'no-face.jpg'));
  writeFileSync(path.join(dir, 'sheldon', 'notes.txt'), 'not a photo');
  await people.open();
  await people.enrolFolder(dir);
  await expect(people.report).toContainText('penny (1)');
  await expect(people.report).toContainText('sheldon (1)');
  const errors = people.errors;
  await expect(errors).toHaveCount(5);
  await expect(errors.filter({ hasText: 'empty.jpg' })).toContainText(/empty/i);
  await expect(errors.filter({ hasText: 'text.jpg' })).toContainText(/not an image/i);
  await expect(errors.filter({ hasText: 'huge.png' })).toContainText(/declares 100000×100000.*limit is 64 MP/);
  await expect(errors.filter({ hasText: 'no-face.jpg' })).toContainText('no face found');
  await expect(errors.filter({ hasText: 'notes.txt' })).toContainText('not an image file');
  await expect(people.people).toHaveCount(2);
  await expect(people.person('penny')).toContainText('1 confirmed');
});
