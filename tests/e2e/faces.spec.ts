// Faces in imported photos with the real human models: people enrolled from labelled photos are named, others are Unknown.
import { expect, test } from '@playwright/test';
import path from 'node:path';
import { ENROL, enrol, FACES, gallery } from './faces-helpers.ts';
import { addFiles } from './helpers.ts';

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
