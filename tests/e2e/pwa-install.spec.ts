// Install: the web app manifest and its icons/screenshots, Chromium's own installability check, the
// Install button (beforeinstallprompt), iOS instructions, the share target; and the service worker's
// SPA fallback, which never answers a model, wasm, JSON or .bin request with the app's HTML.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.ts';
import { expect, test } from './fixtures.ts';
import { DATA, imagenetFiles } from './helpers.ts';
import { sightline } from './pages/index.ts';
import { PwaServer } from './pwa-server.ts';

let server: PwaServer;
test.beforeAll(async () => {
  server = await PwaServer.start();
});
test.afterAll(async () => {
  await server?.close();
});

interface Manifest {
  name: string;
  short_name: string;
  start_url: string;
  display: string;
  theme_color: string;
  background_color: string;
  icons: { src: string; sizes: string; type: string; purpose?: string }[];
  screenshots: { src: string; sizes: string; form_factor?: string }[];
  share_target: { action: string; method: string; enctype: string; params: { files: { name: string }[] } };
  file_handlers: { action: string; accept: Record<string, string[]> }[];
}

test('the web app manifest is complete (name, display, start URL, colours, icons, screenshots, share target, file handler) and its images have the declared sizes', async ({
  page,
  request,
}) => {
  const { app } = sightline(page, server.url);
  await app.open();
  await app.expectOfflineReady();
  const href = await page.locator('link[rel=manifest]').getAttribute('href');
  const res = await request.get(server.url + href);
  expect(res.headers()['content-type']).toContain('application/manifest+json');
  const m = (await res.json()) as Manifest;
  expect(m.name).toContain('Sightline');
  expect(m.short_name).toBe('Sightline');
  expect(m.display).toBe('standalone');
  expect(m.start_url).toBe('/');
  expect(m.theme_color).toMatch(/^#[0-9a-f]{6}$/i);
  expect(m.background_color).toMatch(/^#[0-9a-f]{6}$/i);
  const icon = (size: string, purpose: string) => m.icons.find((i) => i.sizes === size && (i.purpose ?? 'any') === purpose);
  for (const [size, purpose] of [
    ['192x192', 'any'],
    ['512x512', 'any'],
    ['192x192', 'maskable'],
    ['512x512', 'maskable'],
  ])
    expect(icon(size, purpose), `${purpose} icon ${size}`).toBeDefined();
  expect(m.screenshots.some((s) => s.form_factor === 'wide')).toBe(true);
  expect(m.screenshots.some((s) => s.form_factor === 'narrow')).toBe(true);
  const appleTouch = await page.locator('link[rel=apple-touch-icon]').getAttribute('href');
  const images = [...m.icons.filter((i) => i.type === 'image/png'), ...m.screenshots, { src: appleTouch!, sizes: '180x180' }];
  for (const img of images) {
    const r = await request.get(server.url + img.src);
    expect(r.status(), img.src).toBe(200);
    const png = await r.body();
    expect(png.subarray(1, 4).toString(), img.src).toBe('PNG');
    expect(`${png.readUInt32BE(16)}x${png.readUInt32BE(20)}`, img.src).toBe(img.sizes);
  }
  expect(m.share_target).toMatchObject({ action: '/share-target', method: 'POST', enctype: 'multipart/form-data' });
  expect(m.share_target.params.files[0].name).toBe('images');
  expect(m.file_handlers[0].accept['image/jpeg']).toContain('.jpg');
});

test('Chromium itself finds the app installable (its own checks, in a normal, non-incognito profile)', async ({ playwright }) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'sightline-install-'));
  const context = await playwright.chromium.launchPersistentContext(dir, { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  try {
    const page = await context.newPage();
    const { app } = sightline(page, server.url);
    await app.open();
    await app.expectOfflineReady();
    const cdp = await context.newCDPSession(page);
    const { installabilityErrors } = (await cdp.send('Page.getInstallabilityErrors')) as { installabilityErrors: { errorId: string }[] };
    expect(installabilityErrors.map((e) => e.errorId)).toEqual([]);
    const manifest = (await cdp.send('Page.getAppManifest')) as { errors: unknown[]; url: string };
    expect(manifest.errors).toEqual([]);
    expect(manifest.url).toBe(server.url + '/manifest.webmanifest');
  } finally {
    await context.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the Install button appears with beforeinstallprompt and shows the browser prompt; iOS gets "Share → Add to Home Screen"', async ({ page, browser }) => {
  const { app } = sightline(page, server.url);
  await app.open();
  await app.ready.getByRole('button', { name: 'Dismiss' }).click(); // one notice at a time
  await expect(app.install).toBeHidden();
  const defaultPrevented = await page.evaluate(() => {
    const e = new Event('beforeinstallprompt', { cancelable: true });
    Object.assign(e, {
      prompt: async () => Object.assign(window, { __prompted: true }),
      userChoice: Promise.resolve({ outcome: 'accepted' }),
    });
    window.dispatchEvent(e);
    return e.defaultPrevented;
  });
  expect(defaultPrevented).toBe(true);
  await app.install.click();
  await expect.poll(() => page.evaluate(() => '__prompted' in window)).toBe(true);
  await expect(app.installNotice).toBeHidden(); // accepted: installed

  const ios = await browser.newContext({
    userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1',
    viewport: { width: 390, height: 844 },
    serviceWorkers: 'block',
  });
  const p = sightline(await ios.newPage(), server.url);
  await p.app.open();
  await p.app.installIos.click();
  await expect(p.app.iosInstall).toContainText('Share → Add to Home Screen');
  await p.app.open('offline');
  await expect(p.offlinePanel.iosInstructions).toContainText('Share → Add to Home Screen');
  await ios.close();
});

test('the SPA fallback never answers .onnx, .wasm, .json or .bin with HTML; other navigations get the app, offline too', async ({ page, context }) => {
  const { app, library } = sightline(page, server.url);
  await app.open();
  await app.expectOfflineReady();
  expect(await page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);
  // fetch() from the controlled page goes through the service worker.
  const answers = await page.evaluate(async () => {
    const out: Record<string, { status: number; type: string }> = {};
    for (const p of [
      '/models/files/nope.onnx',
      '/assets/nope.wasm',
      '/models/nope.json',
      '/nope.bin',
      '/models/labels/nope.csv',
      '/human/models/nope.json',
      '/human/wasm/nope.wasm',
    ]) {
      const r = await fetch(p);
      out[p] = { status: r.status, type: r.headers.get('content-type') ?? '' };
    }
    return out;
  });
  for (const [p, a] of Object.entries(answers)) {
    expect(a.status, p).toBe(404);
    expect(a.type, p).not.toContain('text/html');
  }
  // Navigations: an app route gets the app; a model path does not (online: the server's 404).
  const nav = await page.goto(server.url + '/models/files/nope.onnx');
  expect(nav!.status()).toBe(404);
  expect(nav!.headers()['content-type']).not.toContain('text/html');

  server.down = true;
  await context.setOffline(true);
  try {
    const route = await page.goto(server.url + '/some/client/route#library');
    expect(route!.headers()['cross-origin-embedder-policy']).toBe('require-corp');
    expect(route!.headers()['cross-origin-opener-policy']).toBe('same-origin');
    await expect(library.count).toBeVisible();
    // Offline, an uncached wasm or model is a network error, never the app's HTML.
    expect(
      await page.evaluate(() =>
        fetch('/assets/nope.wasm').then(
          (r) => r.headers.get('content-type') ?? '',
          (e: Error) => `error: ${e.message}`,
        ),
      ),
    ).toMatch(/^error:/);
    const offlineModel = await page.goto(server.url + '/models/files/nope.onnx').catch((e: Error) => e);
    expect(offlineModel).toBeInstanceOf(Error);
    // The same for the face models and tfjs wasm under /human/ (never used here, so not cached).
    for (const p of ['/human/models/faceres.bin', '/human/wasm/tfjs-backend-wasm-simd.wasm'])
      expect(await page.goto(server.url + p).catch((e: Error) => e), p).toBeInstanceOf(Error);
  } finally {
    server.down = false;
    await context.setOffline(false);
  }
});

test('images shared to the installed app (Web Share Target) are added to the library', async ({ page }) => {
  test.setTimeout(240_000);
  const { app, importPanel, library } = sightline(page, server.url);
  await app.open();
  await app.expectOfflineReady();
  // What the OS does for a share: a multipart POST to the manifest's share_target action.
  await page.evaluate(() => {
    const form = Object.assign(document.createElement('form'), { method: 'post', enctype: 'multipart/form-data', action: '/share-target' });
    form.append(Object.assign(document.createElement('input'), { type: 'file', name: 'images', multiple: true, id: 'share-input' }));
    document.body.append(form);
  });
  const files = [imagenetFiles()[11], path.join(DATA, 'coco/extra_no_gt/bus.jpg')];
  await page.setInputFiles('#share-input', files);
  await Promise.all([page.waitForURL(/\/#library$/), page.evaluate(() => (document.getElementById('share-input')!.parentElement as HTMLFormElement).submit())]);
  await expect(app.sharedNote).toContainText('2 image(s) shared with Sightline');
  await importPanel.expectState('done', 200_000);
  await importPanel.expectStatus('2 stored · 0 failed');
  await library.expectCount(2);
  // The shared files do not linger in Cache Storage.
  expect(await page.evaluate(async () => (await (await caches.open('sightline-share-v1')).keys()).length)).toBe(0);
});
