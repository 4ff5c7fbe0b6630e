import { expect, test } from './fixtures.ts';
import { imagenetFiles } from './helpers.ts';

test('clusters (k by silhouette) and a PCA map of the library, computed in the analytics worker', async ({ page, app, importPanel, clusters, detail }) => {
  await app.open();
  await importPanel.addFiles(imagenetFiles());
  await app.open('clusters');
  await clusters.run();
  await expect(clusters.summary).toContainText('25 images in', { timeout: 60_000 });
  await expect(clusters.summary).toContainText('k chosen by silhouette');
  const n = await clusters.groups.count();
  expect(n).toBeGreaterThanOrEqual(2);
  expect(n).toBeLessThanOrEqual(8);
  // Every image is in exactly one cluster.
  expect((await clusters.sizes()).reduce((a, b) => a + b, 0)).toBe(25);

  // Choosing k by hand; hovering the map shows a thumbnail, clicking opens the image.
  await clusters.run(4);
  await expect(clusters.groups).toHaveCount(4);
  const box = (await clusters.map.boundingBox())!;
  // Find a point by sweeping the canvas until the tooltip shows.
  let found = false;
  for (let y = 0.05; y < 1 && !found; y += 0.05)
    for (let x = 0.03; x < 1 && !found; x += 0.03) {
      await page.mouse.move(box.x + x * box.width, box.y + y * box.height);
      found = (await clusters.tip.count()) > 0;
    }
  expect(found).toBe(true);
  await page.mouse.down();
  await page.mouse.up();
  await expect(detail.root).toBeVisible();
});
