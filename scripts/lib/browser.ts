// Runs the built app in headless Debian Chromium on a private local server, for the batch command
// and the benchmarks: the same pipeline a person uses, not a reimplementation.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { serveStatic } from '../../sync-server/src/static.ts';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../tests/e2e/chromium.ts';

export const ROOT = path.resolve(import.meta.dirname, '../..');

export interface AppHandle {
  url: string;
  browser: Browser;
  close(): Promise<void>;
}

export async function startApp(): Promise<AppHandle> {
  const dist = path.join(ROOT, 'dist');
  if (!existsSync(path.join(dist, 'index.html'))) throw new Error('dist/ is missing: run `npm run build` first');
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`Chromium not found at ${CHROMIUM_PATH} (apt-get install chromium, or set CHROMIUM_PATH)`);
  const server: Server = createServer((req, res) => {
    void serveStatic(req, res, {
      mounts: [
        { prefix: '/models/', dir: path.join(ROOT, 'models') },
        { prefix: '/', dir: dist },
      ],
      spaIndex: path.join(dist, 'index.html'),
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  return {
    url: `http://127.0.0.1:${port}/`,
    browser,
    close: async () => {
      await browser.close();
      await new Promise((r) => server.close(r));
    },
  };
}
