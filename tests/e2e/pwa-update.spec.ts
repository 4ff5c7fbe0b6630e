// Updates: a second build (another version string) is served on the same origin after the first. The page
// finds the new service worker, says "Update available — Reload", and the reload brings the new version,
// but only after the batch that is running has stored every file.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from './fixtures.ts';
import { imagenetFiles } from './helpers.ts';
import { sightline } from './pages/index.ts';
import { DIST, PwaServer, ROOT } from './pwa-server.ts';

/** The second build: tests/tmp/pwa-update-v2, or PWA_V2 (a private directory when several runs share the tree). */
const V2 = path.resolve(ROOT, process.env.PWA_V2 ?? 'tests/tmp/pwa-update-v2');
const LABEL = 'update-test';
let server: PwaServer;

test.beforeAll(async () => {
  test.setTimeout(300_000);
  // The second version: same sources, another version string, so every precached file that shows it changes.
  execFileSync('npx', ['vite', 'build', '--outDir', V2, '--emptyOutDir', '--logLevel', 'warn'], {
    cwd: ROOT,
    env: { ...process.env, SIGHTLINE_BUILD_LABEL: LABEL },
    stdio: 'inherit',
  });
  server = await PwaServer.start(DIST);
});
test.afterAll(async () => {
  await server?.close();
});

test('a new version served after the first shows "Update available — Reload"; the reload waits for the running batch, then runs the new version', async ({
  page,
}) => {
  test.setTimeout(300_000);
  const v1 = (JSON.parse(readFileSync(path.join(DIST, 'pwa-assets.json'), 'utf8')) as { version: string }).version;
  const v2 = (JSON.parse(readFileSync(path.join(V2, 'pwa-assets.json'), 'utf8')) as { version: string }).version;
  expect(v2).toBe(`${v1}+${LABEL}`);

  const { app, importPanel, library, offlinePanel: offline } = sightline(page, server.url);
  await app.open('offline');
  await offline.expectReady();
  await expect(offline.appVersion).toHaveText(v1);
  await offline.checkForUpdate();
  await expect(offline.checkResult).toContainText('no new version');
  await expect(app.updateBanner).toBeHidden();

  // Face model caches of another human/tfjs version, and files this build does not list, go when the new
  // version activates.
  await page.evaluate(async () => {
    await (await caches.open('sightline-human-3.3.5-tfjs-4.21.0')).put('/human/models/faceres.bin', new Response('old'));
    await (await caches.open('sightline-human-3.3.6-tfjs-4.22.0')).put('/human/models/old.json', new Response('{}'));
  });

  server.root = V2;
  await offline.checkForUpdate();
  const banner = app.updateBanner;
  await expect(banner).toContainText('Update available — Reload', { timeout: 60_000 });
  // Still the old version until the person reloads.
  await expect(offline.appVersion).toHaveText(v1);

  // A batch is running (here: paused by the person) when Reload is clicked: the update waits until it has
  // finished, so nothing in flight is lost.
  await app.open('library'); // same document: only the hash changes
  await page.evaluate(() => Object.assign(window, { __beforeUpdate: true }));
  const files = imagenetFiles().slice(0, 6);
  await importPanel.start(files);
  await importPanel.pause();
  await app.updateReload.click();
  await expect(banner).toHaveAttribute('data-phase', 'after-batch');
  await expect(banner).toContainText('as soon as the running batch has finished');
  await page.waitForTimeout(1500);
  expect(await page.evaluate(() => '__beforeUpdate' in window)).toBe(true); // not reloaded while paused
  const reloaded = page.waitForEvent('framenavigated', { timeout: 240_000 });
  await importPanel.resume();
  await reloaded;
  await library.expectCount(files.length, 60_000);
  expect(await page.evaluate(() => '__beforeUpdate' in window)).toBe(false);

  await app.open('offline');
  await expect(offline.appVersion).toHaveText(v2);
  await expect(app.updateBanner).toBeHidden();
  expect(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL)).toBe(server.url + '/sw.js');
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  await expect
    .poll(() => page.evaluate(async () => (await caches.keys()).filter((k) => k.startsWith('sightline-human-'))))
    .toEqual(['sightline-human-3.3.6-tfjs-4.22.0']);
  await expect
    .poll(() => page.evaluate(async () => !!(await (await caches.open('sightline-human-3.3.6-tfjs-4.22.0')).match('/human/models/old.json'))))
    .toBe(false);
});
