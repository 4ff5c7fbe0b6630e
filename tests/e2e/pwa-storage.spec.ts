// Storage care: persistence requested and shown, usage/quota shown, and a full quota (Chromium's quota
// override through CDP) gives a clear message and never a half-written record, both for offline models
// (Cache Storage) and for the library (IndexedDB).
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { imagenetFiles } from './helpers.ts';
import { sightline } from './pages/index.ts';
import { PwaServer } from './pwa-server.ts';

let server: PwaServer;
test.beforeAll(async () => {
  server = await PwaServer.start();
});
test.afterAll(async () => {
  await server?.close();
});

async function usage(page: Page): Promise<number> {
  return page.evaluate(async () => (await navigator.storage.estimate()).usage ?? 0);
}

test('persistence is requested and its answer shown; a full quota stops "Make available offline" with a clear message and nothing half-cached', async ({
  page,
}) => {
  const { app, offlinePanel: offline } = sightline(page, server.url);
  await app.open('offline');
  await offline.expectReady();
  await expect(offline.storageUsage).toContainText(/used of .*persistent: (yes|no)/);
  await offline.persistButton.click();
  // Chromium decides by site engagement/installation; either way the answer is shown.
  await expect(offline.persistResult).toHaveText(/^(granted|not granted)/);

  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Storage.overrideQuotaForOrigin', { origin: server.url, quotaSize: (await usage(page)) + 1_000_000 });
  await page.reload();
  await offline.makeOffline();
  await expect(offline.note).toContainText('could not be made available offline');
  // The first download hits the quota (Cache.put throws QuotaExceededError); the rest are not tried.
  const errors = offline.errors;
  await expect(errors.first()).toContainText(
    "Not enough storage to keep ResNet50 (Keras weights, fp16 storage): the browser's storage quota for this site is full",
  );
  await expect(errors.first()).toContainText('Nothing partial was kept');
  await expect(errors.nth(1)).toHaveText('not tried: storage is full');
  for (const row of await offline.items.all()) await expect(row).toHaveAttribute('data-cached', 'false');
  expect(await page.evaluate(async () => (await (await caches.open('sightline-models-v1')).keys()).length)).toBe(0);
});

test.describe('library', () => {
  // IndexedDB only; the service worker's own precache would not fit in this quota either.
  test.use({ serviceWorkers: 'block' });

  test('a full quota fails each file with a clear storage message and stores nothing partial; with room again the same files go in', async ({ page }) => {
    test.setTimeout(240_000);
    const cdp = await page.context().newCDPSession(page);
    // Chromium reads an origin's quota when its IndexedDB first opens: set it before the first visit.
    await cdp.send('Storage.overrideQuotaForOrigin', { origin: server.url, quotaSize: 1000 });
    const { app, importPanel, library, diagnostics } = sightline(page, server.url);
    await app.open();
    const files = imagenetFiles().slice(0, 2);
    await importPanel.addFiles(files);
    await importPanel.expectStatus('0 stored · 2 failed');
    const rows = importPanel.errorRows;
    await expect(rows).toHaveCount(2);
    await expect(rows.first()).toContainText('storage-failed');
    await expect(rows.first()).toContainText('the browser storage quota is full');
    await library.expectCount(0);
    await app.open('diagnostics');
    await expect(diagnostics.storage).toContainText('0 images, 0 results');

    await cdp.send('Storage.overrideQuotaForOrigin', { origin: server.url });
    await app.open('library');
    await importPanel.addFiles(files);
    await importPanel.expectStatus('2 stored · 0 failed');
    const { images } = await library.exportJson();
    expect(images).toHaveLength(2);
    for (const img of images) expect(img.classification?.top5).toHaveLength(5);
  });
});
