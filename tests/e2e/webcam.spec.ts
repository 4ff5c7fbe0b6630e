// Live webcam labelling: Chromium's fake camera plays a y4m made with ffmpeg from an enrolled person's photo.
import { expect, test } from '@playwright/test';
import { debugApi } from '../../scripts/lib/debug-api.ts';
import { ENROL, enrol, fakeCamera, gallery } from './faces-helpers.ts';

test.use({ launchOptions: fakeCamera('vlado/person-vlado1.jpg') });
test("shows the enrolled person's name over the video, live", async ({ page }) => {
  await enrol(page, gallery('cam-known', ENROL), ['vlado', 'penny', 'sheldon']);
  await page.goto('/?debug#webcam');
  await page.getByTestId('webcam-start').click();
  await expect(page.getByTestId('webcam-names')).toContainText('vlado', { timeout: 60_000 });
  await expect(page.getByTestId('webcam-error')).toHaveCount(0);
  // Live: frames keep coming (dropped rather than queued) and tensors do not pile up.
  const api = debugApi(page);
  const a = await api.run((x) => x.webcam());
  await page.waitForTimeout(3000);
  const b = await api.run((x) => x.webcam());
  expect(b.frames).toBeGreaterThan(a.frames + 3);
  expect(b.fps).toBeGreaterThan(1);
  expect(b.tensors).toBe(a.tensors);
  await expect(page.getByTestId('webcam-stats')).toContainText('fps');
  await page.getByTestId('webcam-stop').click();
  await expect(page.getByTestId('webcam-start')).toBeVisible();
});
