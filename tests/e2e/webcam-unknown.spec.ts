// Live webcam with a face nobody enrolled: Unknown, then enrolled from the camera by holding the record button.
import { ENROL, fakeCamera, gallery } from './faces-helpers.ts';
import { expect, test } from './fixtures.ts';

test.use({ launchOptions: fakeCamera('stock-emotions-a/stock-emotions-a-1.jpg') });
test('labels a face that is not enrolled as Unknown, and hold-to-record enrols it', async ({ app, people, webcam }) => {
  await people.enrol(gallery('cam-stranger', ENROL), ['vlado', 'penny', 'sheldon']);
  await app.open('webcam');
  await webcam.start();
  await expect(webcam.names).toHaveText('Unknown', { timeout: 60_000 });
  await webcam.holdToEnrol('Dana', 3);
  await expect(webcam.enrolMessage).toContainText(/Enrolled \d+ samples of Dana/);
  await expect(webcam.names).toHaveText('Dana', { timeout: 30_000 });
});
