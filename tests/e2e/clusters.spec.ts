import { expect, test } from '@playwright/test';
import { addFiles, imagenetFiles } from './helpers.ts';

test('clusters (k by silhouette) and a PCA map of the library, computed in the analytics worker', async ({ page }) => {
  await page.goto('/');
  await addFiles(page, imagenetFiles());
  await page.goto('/#clusters');
  await page.getByTestId('cluster-run').click();
  await expect(page.getByTestId('cluster-summary')).toContainText('25 images in', { timeout: 60_000 });
  await expect(page.getByTestId('cluster-summary')).toContainText('k chosen by silhouette');
  const groups = page.getByTestId('cluster-group');
  const n = await groups.count();
  expect(n).toBeGreaterThanOrEqual(2);
  expect(n).toBeLessThanOrEqual(8);
  // Every image is in exactly one cluster.
  const sizes = await groups.locator('h3').evaluateAll((hs) => hs.map((h) => Number(/(\d+) images/.exec(h.textContent ?? '')![1])));
  expect(sizes.reduce((a, b) => a + b, 0)).toBe(25);

  // Choosing k by hand; hovering the map shows a thumbnail, clicking opens the image.
  await page.getByTestId('cluster-k').selectOption('4');
  await page.getByTestId('cluster-run').click();
  await expect(groups).toHaveCount(4);
  const map = page.getByTestId('cluster-map');
  const box = (await map.boundingBox())!;
  // Find a point by sweeping the canvas until the tooltip shows.
  let found = false;
  for (let y = 0.05; y < 1 && !found; y += 0.05)
    for (let x = 0.03; x < 1 && !found; x += 0.03) {
      await page.mouse.move(box.x + x * box.width, box.y + y * box.height);
      found = (await page.getByTestId('cluster-tip').count()) > 0;
    }
  expect(found).toBe(true);
  await page.mouse.down();
  await page.mouse.up();
  await expect(page.getByTestId('detail')).toBeVisible();
});
