import { expect, test } from '@playwright/test';
import { addFiles, imagenetFiles, imagenetTruth } from './helpers.ts';

test('a profile that likes a dog gets the other dogs of the dev set first; hiding updates the list at once', async ({ page }) => {
  await page.goto('/');
  await addFiles(page, imagenetFiles());
  const truth = imagenetTruth();
  const dogs = [...truth].filter(([, n]) => ['Afghan hound', 'Tibetan terrier', 'Appenzeller'].includes(n)).map(([f]) => f);

  await page.goto('/#for-you');
  await page.getByTestId('profile-name').fill('Dog lover');
  await page.getByTestId('profile-create').click();
  await expect(page.getByTestId('profile-select')).toHaveValue(/.+/);
  await expect(page.getByTestId('rec')).toHaveCount(20);

  await page.goto('/#library');
  await page.locator(`[data-testid=library-item][data-name="${dogs[0]}"]`).click();
  await page.getByTestId('like').click();
  await expect(page.getByTestId('like')).toHaveAttribute('aria-pressed', 'true');
  await page.keyboard.press('Escape');

  await page.goto('/#for-you');
  const recs = page.getByTestId('rec');
  await expect(recs.first()).toHaveAttribute('data-name', /.+/);
  const top2 = await recs.evaluateAll((els) => els.slice(0, 2).map((e) => e.getAttribute('data-name')));
  expect(top2.sort()).toEqual(dogs.slice(1).sort());
  await expect(recs.first()).toContainText(`because you liked ${dogs[0]}`);
  // Liked and viewed images are not recommended again.
  expect(await recs.evaluateAll((els) => els.map((e) => e.getAttribute('data-name')))).not.toContain(dogs[0]);

  await recs.first().getByTestId('rec-hide').click();
  await expect(page.locator(`[data-testid=rec][data-name="${top2[0]}"]`)).toHaveCount(0);
});

test('demo profiles are generated with likes and a hide each', async ({ page }) => {
  await page.goto('/?model=mobilenetv2-12-int8');
  await addFiles(page, imagenetFiles().slice(0, 10));
  await page.goto('/#for-you');
  await page.getByTestId('profile-demo').click();
  await expect(page.getByTestId('profile-select').locator('option')).toHaveCount(3);
  await expect(page.getByTestId('for-you')).toContainText(/[1-9] liked · 1 hidden/);
});
