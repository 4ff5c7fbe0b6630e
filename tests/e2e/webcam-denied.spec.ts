// Live webcam when the camera permission is refused: a clear message, nothing stuck.
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.ts';
import { expect, test } from './fixtures.ts';

// No --use-fake-ui-for-media-stream: the permission request is refused.
test.use({ launchOptions: { executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, '--use-fake-device-for-media-stream'] } });
test('says so clearly and stays usable', async ({ app, webcam }) => {
  await app.open('webcam');
  await webcam.start();
  await expect(webcam.error).toContainText('Camera permission was denied');
  await expect(webcam.startButton).toBeEnabled();
});
