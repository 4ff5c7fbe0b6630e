// Renders the install icons and the web manifest's screenshots into public/ with Debian's Chromium:
//   npm run build && npm run pwa:assets            (icons only: npm run pwa:assets -- --icons)
// Icons come from the same drawing as public/favicon.svg: "any" icons keep its rounded corners; maskable
// and Apple touch icons are full-bleed with the mark inside the central 80% safe zone.
import { createServer } from 'node:http';
import { mkdirSync, readdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { serveStatic } from '../sync-server/src/static.ts';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../tests/e2e/chromium.ts';

const root = path.resolve(import.meta.dirname, '..');
const pub = path.join(root, 'public');
const dist = path.resolve(root, process.env.PWA_DIST ?? 'dist');
const BLUE = '#3056d3';
const mark = `<circle cx="32" cy="32" r="14" fill="none" stroke="#fff" stroke-width="6"/><circle cx="32" cy="32" r="5" fill="#fff"/>`;
const rounded = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" rx="14" fill="${BLUE}"/>${mark}</svg>`;
const fullBleed = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" fill="${BLUE}"/>${mark}</svg>`;

const icons: { file: string; size: number; svg: string }[] = [
  { file: 'icons/icon-192.png', size: 192, svg: rounded },
  { file: 'icons/icon-512.png', size: 512, svg: rounded },
  { file: 'icons/maskable-192.png', size: 192, svg: fullBleed },
  { file: 'icons/maskable-512.png', size: 512, svg: fullBleed },
  { file: 'icons/apple-touch-icon.png', size: 180, svg: fullBleed },
];

const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
try {
  mkdirSync(path.join(pub, 'icons'), { recursive: true });
  for (const icon of icons) {
    const page = await browser.newPage({ viewport: { width: icon.size, height: icon.size } });
    await page.setContent(
      `<html><body style="margin:0;background:transparent">${icon.svg.replace('<svg ', `<svg width="${icon.size}" height="${icon.size}" `)}</body></html>`,
    );
    await page.screenshot({ path: path.join(pub, icon.file), omitBackground: true });
    await page.close();
    console.log(`public/${icon.file} (${icon.size}×${icon.size})`);
  }

  if (!process.argv.includes('--icons')) {
    // Screenshots of the built app with a few classified images in the library.
    const server = createServer((req, res) => {
      void serveStatic(req, res, {
        mounts: [
          { prefix: '/models/', dir: path.join(root, 'models') },
          { prefix: '/', dir: dist },
        ],
        spaIndex: path.join(dist, 'index.html'),
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const dir = path.resolve(root, '../shared/data/imagenet');
    const pick = readdirSync(dir)
      .filter((f) => f.endsWith('.jpg'))
      .sort()
      .slice(0, 12);
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' });
    const page = await context.newPage();
    await page.goto(`${base}/`);
    await page.getByTestId('pwa-ready').getByRole('button', { name: 'Dismiss' }).click();
    await page.setInputFiles(
      '[data-testid=file-input]',
      pick.map((f) => path.join(dir, f)),
    );
    await page.getByTestId('batch-status').and(page.locator('[data-state=done]')).waitFor({ timeout: 300_000 });
    mkdirSync(path.join(pub, 'screenshots'), { recursive: true });
    await page.screenshot({ path: path.join(pub, 'screenshots/library-wide.png') });
    await page.setViewportSize({ width: 540, height: 960 });
    await page.screenshot({ path: path.join(pub, 'screenshots/library-narrow.png') });
    await page.goto(`${base}/#offline`);
    await page.getByLabel('Keep ResNet50 (Keras weights, fp32) offline').uncheck();
    await page.getByTestId('make-offline').click();
    await page.getByTestId('offline-note').waitFor({ timeout: 300_000 });
    await page.getByTestId('offline-models').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(pub, 'screenshots/offline-narrow.png') });
    console.log('public/screenshots/library-wide.png (1280×800), library-narrow.png, offline-narrow.png (540×960)');
    await context.close();
    server.close();
  }
} finally {
  await browser.close();
}
