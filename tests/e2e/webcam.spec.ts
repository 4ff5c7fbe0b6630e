// Live webcam labelling: Chromium's fake camera plays a y4m made with ffmpeg from an enrolled person's photo.
import { ENROL, fakeCamera, gallery } from './faces-helpers.ts';
import { expect, test } from './fixtures.ts';

test.use({ launchOptions: fakeCamera('vlado/person-vlado1.jpg') });
test("shows the enrolled person's name over the video, live", async ({ page, app, people, webcam, debug }) => {
  await people.enrol(gallery('cam-known', ENROL), ['vlado', 'penny', 'sheldon']);
  await app.open('webcam', { debug: '' });
  await webcam.start();
  await expect(webcam.names).toContainText('vlado', { timeout: 60_000 });
  await expect(webcam.error).toHaveCount(0);
  // Live: frames keep coming (dropped rather than queued) and tensors do not pile up.
  const a = await debug.run((api) => api.webcam());
  await page.waitForTimeout(3000);
  const b = await debug.run((api) => api.webcam());
  expect(b.frames).toBeGreaterThan(a.frames + 3);
  expect(b.fps).toBeGreaterThan(1);
  expect(b.tensors).toBe(a.tensors);
  await expect(webcam.stats).toContainText('fps');
  await webcam.stop();
});
