// Live webcam when the camera permission is refused: a clear message, nothing stuck.
import { expect, test } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.ts';

// No --use-fake-ui-for-media-stream: the permission request is refused.
test.use({ launchOptions: { executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, '--use-fake-device-for-media-stream'] } });
test('says so clearly and stays usable', async ({ page }) => {
  await page.goto('/#webcam');
  await page.getByTestId('webcam-start').click();
  await expect(page.getByTestId('webcam-error')).toContainText('Camera permission was denied');
  await expect(page.getByTestId('webcam-start')).toBeEnabled();
});
