// npm run batch -- --in <folder> --out <file.csv|file.json> [--stages classify,detect,exif] [--model <id>] [--detector <id>]
//                  [--score 0.25] [--iou 0.45] [--backend auto|wasm|webgpu] [--threads N]
// Tags a folder from the shell by driving the built app in headless Chromium (same pipeline as the UI).
import { existsSync, promises as fs, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import type { ModelEntry, ModelManifest } from '../src/shared/manifest.ts';
import { findModel } from '../src/shared/manifest.ts';
import { ROOT, startApp } from './lib/browser.ts';
import { runWatch } from './lib/watch.ts';

const IMAGE_EXT = /\.(jpe?g|png|gif|webp|bmp|avif|heic|heif|tiff?)$/i;

function usage(msg: string): never {
  console.error(
    `batch: ${msg}\nusage: npm run batch -- --in <folder> --out <file.csv|file.json> [--stages classify,detect,exif] [--model <id>] [--detector <id>] [--score 0.25] [--iou 0.45] [--backend auto|wasm|webgpu] [--threads N]`,
  );
  process.exit(2);
}

async function listImages(dir: string): Promise<{ files: string[]; ignored: number }> {
  const files: string[] = [];
  let ignored = 0;
  for (const e of await fs.readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!e.isFile()) continue;
    if (IMAGE_EXT.test(e.name) && !e.name.startsWith('.')) files.push(path.join(e.parentPath, e.name));
    else ignored++;
  }
  return { files: files.sort(), ignored };
}

/** Prints the app's batch status until the batch has finished. */
async function followBatch(page: Page): Promise<void> {
  const status = page.getByTestId('batch-status');
  const tty = process.stdout.isTTY;
  let last = '';
  let lastAt = 0;
  for (;;) {
    const state = await status.getAttribute('data-state').catch(() => null);
    const text = (
      (await status
        .locator('.line')
        .textContent()
        .catch(() => '')) ?? ''
    )
      .replace('Cancel', '')
      .replace(/\s+/g, ' ')
      .trim();
    const finished = state === 'done' || state === 'cancelled' || state === 'failed';
    // A live line on a terminal; in logs, a line every 5 s at most.
    if (tty) process.stdout.write(`\r\x1b[K${text}`);
    else if (text !== last && (finished || Date.now() - lastAt > 5000)) {
      console.log(text);
      lastAt = Date.now();
    }
    last = text;
    if (finished) break;
    await page.waitForTimeout(500);
  }
  if (tty) process.stdout.write('\n');
}

const { values } = parseArgs({
  options: {
    in: { type: 'string' },
    out: { type: 'string' },
    stages: { type: 'string', default: 'classify' },
    model: { type: 'string' },
    detector: { type: 'string' },
    score: { type: 'string' },
    iou: { type: 'string' },
    backend: { type: 'string', default: 'auto' },
    threads: { type: 'string' },
    watch: { type: 'string' },
    'watch-seconds': { type: 'string' },
  },
});
if (!values.in && !values.watch) usage('--in <folder> (or --watch <folder>) is required');
if (!values.out) usage('--out <file.csv|file.json> is required');
const inDir = path.resolve(values.in ?? values.watch!);
if (!existsSync(inDir) || !statSync(inDir).isDirectory()) usage(`${values.in ? '--in' : '--watch'} ${values.in ?? values.watch} is not a folder`);
const watchSeconds = values['watch-seconds'] ? Number(values['watch-seconds']) : undefined;
if (watchSeconds !== undefined && !(watchSeconds > 0)) usage('--watch-seconds must be a positive number');
const format = path.extname(values.out).toLowerCase();
if (format !== '.csv' && format !== '.json') usage('--out must end in .csv or .json');
if (!['auto', 'wasm', 'webgpu'].includes(values.backend!)) usage(`--backend must be auto, wasm or webgpu`);
const manifest = JSON.parse(readFileSync(path.join(ROOT, 'models/manifest.json'), 'utf8')) as ModelManifest;
const stages = values.stages!.split(',').map((x) => x.trim());
if (!stages.length || stages.some((x) => !['classify', 'detect', 'exif'].includes(x)))
  usage(`--stages takes classify, detect and/or exif (got '${values.stages}')`);
for (const [name, v] of [
  ['--score', values.score],
  ['--iou', values.iou],
] as const)
  if (v !== undefined && !(Number(v) > 0 && Number(v) < 1)) usage(`${name} must be a number between 0 and 1`);

function pick(id: string | undefined, task: 'classification' | 'detection'): ModelEntry {
  let m: ModelEntry;
  try {
    m = id ? findModel(manifest, id) : (manifest.models.find((x) => x.task === task && x.default) ?? manifest.models.find((x) => x.task === task)!);
  } catch (e) {
    return usage((e as Error).message);
  }
  if (m.task !== task) usage(`${m.id} is a ${m.task} model, not ${task}`);
  if (!existsSync(path.join(ROOT, 'models/files', m.file))) usage(`model file models/files/${m.file} is missing: run \`npm run models\``);
  return m;
}
const model = stages.includes('classify') ? pick(values.model, 'classification') : null;
const detector = stages.includes('detect') ? pick(values.detector, 'detection') : null;

const { files, ignored } = await listImages(inDir);
if (!files.length && !values.watch) usage(`no image files in ${inDir}`);
// EXIF and image facts are read for every file; `--stages exif` alone runs no model at all.
const running = [model && `classifier ${model.id}`, detector && `detector ${detector.id}`, 'EXIF + image facts'].filter(Boolean).join(', ');
console.log(`batch: ${files.length} image file(s) in ${inDir}${ignored ? ` (${ignored} other file(s) ignored)` : ''}; ${running}`);

const app = await startApp();
let exitCode = 0;
try {
  const page = await (await app.browser.newContext({ acceptDownloads: true })).newPage();
  const q = new URLSearchParams({ model: model?.id ?? 'none', detector: detector?.id ?? '', backend: values.backend! });
  if (values.score) q.set('score', values.score);
  if (values.iou) q.set('iou', values.iou);
  if (values.threads) q.set('threads', values.threads);
  if (values.watch) q.set('debug', '');
  await page.goto(`${app.url}?${q}`);
  if (values.watch) {
    await runWatch(page, inDir, watchSeconds);
    await page.getByTestId('library-count').waitFor();
  } else await page.setInputFiles('[data-testid=file-input]', files);
  if (!values.watch) await followBatch(page);
  if (!values.watch && (await page.getByTestId('batch-status').getAttribute('data-state')) === 'failed') {
    console.error(`batch failed: ${await page.getByTestId('batch-failure').textContent()}`);
    exitCode = 1;
  } else {
    const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId(format === '.csv' ? 'export-csv' : 'export-json').click()]);
    await fs.mkdir(path.dirname(path.resolve(values.out)), { recursive: true });
    await dl.saveAs(path.resolve(values.out));
    const errors = await page
      .getByTestId('error-row')
      .evaluateAll((rows) => rows.map((r) => `${r.getAttribute('data-file')}: ${r.querySelector('td:last-child')?.textContent?.trim()}`));
    for (const e of errors) console.error(`  error: ${e}`);
    // Stored, not failed: formats the browser cannot decode (HEIC, TIFF) keep their metadata only.
    const notices = await page
      .getByTestId('notice-row')
      .evaluateAll((rows) => rows.map((r) => `${r.getAttribute('data-file')}: ${r.querySelector('td:last-child')?.textContent?.trim()}`));
    for (const n of notices) console.log(`  stored metadata only: ${n}`);
    const tail = [errors.length && `${errors.length} file(s) failed (listed above)`, notices.length && `${notices.length} file(s) stored with metadata only`];
    console.log(
      `batch: wrote ${values.out}${tail
        .filter(Boolean)
        .map((t) => `; ${t}`)
        .join('')}`,
    );
  }
} finally {
  await app.close();
}
process.exit(exitCode);
