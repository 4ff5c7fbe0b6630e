// `npm run batch -- --watch <folder>`: the app's own watched-folder code, headless. New files in the
// folder are mirrored into the page's origin-private file system, which the page watches; each processed
// file is printed as it is done.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';

interface LogRow {
  path: string;
  time: number;
  width?: number;
  height?: number;
  channels?: number;
  tags: string;
  error?: string;
}
type Hooks = { __sightline: { watch(d: FileSystemDirectoryHandle): Promise<void>; watchLog(): LogRow[] } };

const IMAGE_EXT = /\.(jpe?g|png|gif|webp|bmp|avif|heic|heif|tiff?)$/i;

export async function runWatch(page: Page, dir: string, seconds: number | undefined, log = console.log): Promise<number> {
  await page.evaluate(async () => {
    const root = await navigator.storage.getDirectory();
    await (globalThis as unknown as Hooks).__sightline.watch(await root.getDirectoryHandle('watched', { create: true }));
  });
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
      const b64 = (await fs.readFile(full)).toString('base64');
      await page.evaluate(
        async ({ rel, b64 }) => {
          let d = await (await navigator.storage.getDirectory()).getDirectoryHandle('watched');
          const parts = rel.split('/');
          for (const p of parts.slice(0, -1)) d = await d.getDirectoryHandle(p, { create: true });
          const w = await (await d.getFileHandle(parts.at(-1)!, { create: true })).createWritable();
          await w.write(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)));
          await w.close();
        },
        { rel, b64 },
      );
    }
    const rows = await page.evaluate(() => (globalThis as unknown as Hooks).__sightline.watchLog());
    for (const r of rows.slice(0, rows.length - printed).reverse())
      log(`${new Date(r.time).toISOString()}  ${r.path}  ${r.error ? `ERROR ${r.error}` : `${r.width}x${r.height}  ${r.channels ?? '?'} ch  ${r.tags}`}`);
    printed = rows.length;
    await page.waitForTimeout(1000);
  }
  process.off('SIGINT', onInt);
  return printed;
}
