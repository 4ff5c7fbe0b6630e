import { expect, test } from '@playwright/test';
import { addFiles, imagenetFiles, imagenetTruth } from './helpers.ts';

test('similar images by ResNet50 embedding: the dogs of the dev set find each other', async ({ page }) => {
  await page.goto('/');
  await addFiles(page, imagenetFiles());
  const truth = imagenetTruth();
  const dogs = ['Afghan hound', 'Tibetan terrier', 'Appenzeller'];
  const dogFiles = [...truth].filter(([, name]) => dogs.includes(name)).map(([f]) => f);
  expect(dogFiles).toHaveLength(3);
  await page.locator(`[data-testid=library-item][data-name="${dogFiles[0]}"]`).click();
  const similar = page.getByTestId('detail').getByTestId('similar');
  await expect(similar.locator('li')).toHaveCount(6);
  // The nearest neighbour of a dog is another dog.
  await similar.locator('button').first().click();
  const opened = await page.getByTestId('detail').locator('h2').textContent();
  expect(dogFiles.slice(1)).toContain(opened);
});
