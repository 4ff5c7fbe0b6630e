import { expect, test } from './fixtures.ts';
import { imagenetFiles, imagenetTruth } from './helpers.ts';

test('a profile that likes a dog gets the other dogs of the dev set first; hiding updates the list at once', async ({ app, importPanel, library, forYou }) => {
  await app.open();
  await importPanel.addFiles(imagenetFiles());
  const truth = imagenetTruth();
  const dogs = [...truth].filter(([, n]) => ['Afghan hound', 'Tibetan terrier', 'Appenzeller'].includes(n)).map(([f]) => f);

  await app.open('for-you');
  await forYou.createProfile('Dog lover');
  await expect(forYou.recs).toHaveCount(20);

  await app.open('library');
  const detail = await library.open(dogs[0]);
  await detail.toggleLike();
  await detail.escape();

  await app.open('for-you');
  const recs = forYou.recs;
  await expect(recs.first()).toHaveAttribute('data-name', /.+/);
  const top2 = (await forYou.recNames()).slice(0, 2);
  expect(top2.sort()).toEqual(dogs.slice(1).sort());
  await expect(recs.first()).toContainText(`because you liked ${dogs[0]}`);
  // Liked and viewed images are not recommended again.
  expect(await forYou.recNames()).not.toContain(dogs[0]);

  const first = (await forYou.recNames())[0]!;
  await forYou.hide(recs.first());
  await expect(forYou.rec(first)).toHaveCount(0);
});

test('demo profiles are generated with likes and a hide each', async ({ app, importPanel, forYou }) => {
  await app.open(undefined, { model: 'mobilenetv2-12-int8' });
  await importPanel.addFiles(imagenetFiles().slice(0, 10));
  await app.open('for-you');
  await forYou.generateDemoProfiles();
  await expect(forYou.profileSelect.locator('option')).toHaveCount(3);
  await expect(forYou.root).toContainText(/[1-9] liked · 1 hidden/);
});
