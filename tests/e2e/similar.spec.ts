import { expect, test } from './fixtures.ts';
import { imagenetFiles, imagenetTruth } from './helpers.ts';

test('similar images by ResNet50 embedding: the dogs of the dev set find each other', async ({ app, importPanel, library, detail }) => {
  await app.open();
  await importPanel.addFiles(imagenetFiles());
  const truth = imagenetTruth();
  const dogs = ['Afghan hound', 'Tibetan terrier', 'Appenzeller'];
  const dogFiles = [...truth].filter(([, name]) => dogs.includes(name)).map(([f]) => f);
  expect(dogFiles).toHaveLength(3);
  await library.open(dogFiles[0]);
  await expect(detail.similar.locator('li')).toHaveCount(6);
  // The nearest neighbour of a dog is another dog.
  await detail.similar.locator('button').first().click();
  expect(dogFiles.slice(1)).toContain(await detail.title.textContent());
});
