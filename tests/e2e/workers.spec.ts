import { expect, test } from './fixtures.ts';
import { imagenetFiles } from './helpers.ts';

test('diagnostics: cross-origin isolated, WASM with 2 threads, model table', async ({ app, diagnostics }) => {
  await app.open('diagnostics');
  await expect(diagnostics.coi).toHaveText('true');
  await expect(diagnostics.backend).toHaveText('wasm');
  await expect(diagnostics.threads).toContainText('2');
  await expect(diagnostics.webgpu).toHaveText('none');
  await expect(diagnostics.models).toContainText('resnet50-keras-fp16w');
  await expect(diagnostics.storage).toContainText('images');
});

test('a crashed inference or image worker is restarted and the next batch works', async ({ app, importPanel, library, diagnostics, debug }) => {
  await app.open(undefined, { debug: '' });
  await importPanel.addFiles(imagenetFiles().slice(0, 1));
  const before = await debug.run((api) => api.workers());
  expect(before.inference.restarts + before.image.restarts).toBe(0);
  await debug.run((api) => api.crash('inference'));
  await debug.run((api) => api.crash('image'));
  // Both died: each owner saw its worker's error and counted a crash (not merely an idle stop).
  await debug.waitFor(
    (api) => {
      const w = api.workers();
      return w.inference.restarts === 1 && w.image.restarts === 1 && !w.inference.running && !w.image.running;
    },
    { timeout: 30_000 },
  );
  await importPanel.addFiles(imagenetFiles().slice(1, 3));
  await importPanel.expectStatus('2 stored · 0 failed');
  await library.expectCount(3);
  // Restarted for the batch (a second start each), as Diagnostics shows.
  await app.show('diagnostics');
  await expect(diagnostics.worker('inference')).toContainText('started 2× · crash restarts 1');
  await expect(diagnostics.worker('image')).toContainText('started 2× · crash restarts 1');
});

test('cancel stops a running batch and keeps what was stored', async ({ page, app, importPanel, library }) => {
  await app.open(undefined, { model: 'resnet50-keras-fp32' });
  await importPanel.start(imagenetFiles());
  await importPanel.expectStatus(/[1-9] stored/, 120_000);
  await importPanel.cancel();
  const stored = await library.storedCount();
  expect(stored).toBeGreaterThan(0);
  expect(stored).toBeLessThan(25);
  await page.reload();
  await library.expectCount(stored);
});
