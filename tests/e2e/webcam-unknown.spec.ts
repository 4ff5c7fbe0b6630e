// Live webcam with a face nobody enrolled: Unknown, then enrolled from the camera by holding the record button.
import { expect, test } from '@playwright/test';
import { ENROL, enrol, fakeCamera, gallery } from './faces-helpers.ts';

test.use({ launchOptions: fakeCamera('stock-emotions-a/stock-emotions-a-1.jpg') });
test('labels a face that is not enrolled as Unknown, and hold-to-record enrols it', async ({ page }) => {
  await enrol(page, gallery('cam-stranger', ENROL), ['vlado', 'penny', 'sheldon']);
  await page.goto('/#webcam');
  await page.getByTestId('webcam-start').click();
  await expect(page.getByTestId('webcam-names')).toHaveText('Unknown', { timeout: 60_000 });
  await page.getByTestId('webcam-enrol-name').fill('Dana');
  const hold = page.getByTestId('hold-to-record');
  await hold.hover();
  await page.mouse.down();
  await expect(hold).toContainText(/Recording… [3-9]/, { timeout: 30_000 });
  await page.mouse.up();
  await expect(page.getByTestId('webcam-enrol-message')).toContainText(/Enrolled \d+ samples of Dana/);
  await expect(page.getByTestId('webcam-names')).toHaveText('Dana', { timeout: 30_000 });
});
