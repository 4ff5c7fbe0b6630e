// `npm run batch -- --watch <folder>`: the app's own watched-folder code, headless. New files in the
// folder are mirrored into the page's origin-private file system, which the page watches; each processed
// file is printed as it is done.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { debugApi, filesForPage } from './debug-api.ts';

const IMAGE_EXT = /\.(jpe?g|png|gif|webp|bmp|avif|heic|heif|tiff?)$/i;

export async function runWatch(page: Page, dir: string, seconds: number | undefined, log = console.log): Promise<number> {
  const api = debugApi(page);
  await api.run(async (a) => a.watch(await a.writeFolder('watched', [])));
  const sent = new Map<string, string>();
  const until = seconds ? Date.now() + seconds * 1000 : Infinity;
  let stop = false;
  const onInt = () => (stop = true);
  process.once('SIGINT', onInt);
  let printed = 0;
  log(`watching ${dir}${seconds ? ` for ${seconds} s` : ' (Ctrl-C to stop)'}`);
  while (!stop && Date.now() < until) {
    for (const e of await fs.readdir(dir, { withFileTypes: true, recursive: true })) {
      if (!e.isFile() || !IMAGE_EXT.test(e.name) || e.name.startsWith('.')) continue;
      const full = path.join(e.parentPath, e.name);
      const st = await fs.stat(full).catch(() => null);
      // Wait until a file has stopped changing for a second: it may still be being copied in.
      if (!st || Date.now() - st.mtimeMs < 1000) continue;
      const sig = `${st.size}:${st.mtimeMs}`;
      const rel = path.relative(dir, full).split(path.sep).join('/');
      if (sent.get(rel) === sig) continue;
      sent.set(rel, sig);
      await api.run((a, sent) => a.writeFolder('watched', sent), filesForPage([full], [rel]));
    }
    const rows = await api.run((a) => a.watchLog());
    for (const r of rows.slice(0, rows.length - printed).reverse())
      log(`${new Date(r.time).toISOString()}  ${r.path}  ${r.error ? `ERROR ${r.error}` : `${r.width}x${r.height}  ${r.channels ?? '?'} ch  ${r.tags}`}`);
    printed = rows.length;
    await page.waitForTimeout(1000);
  }
  process.off('SIGINT', onInt);
  return printed;
}
