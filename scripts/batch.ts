// npm run batch -- --in <folder> --out <file.csv|file.json> [--stages classify,detect,exif,faces] [--model <id>] [--detector <id>]
//                  [--score 0.25] [--iou 0.45] [--backend auto|wasm|webgpu] [--threads N]
//                  [--gallery <folder, one subfolder per person>] [--method distance|classifier] [--threshold T]
// Tags a folder from the shell by driving the built app in headless Chromium (same pipeline as the UI).
// With --stages faces, each image's faces (box in original pixels, score, name or Unknown, distance or confidence,
// method) are in the output; --gallery enrols those people first (through the app's own enrolment).
import { existsSync, promises as fs, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import type { ModelEntry, ModelManifest } from '../src/shared/manifest.ts';
import { findModel } from '../src/shared/manifest.ts';
import type { GalleryEnrolment } from '../src/debug/api.ts';
import type { FileError } from '../src/shared/types.ts';
import { ROOT, startApp } from './lib/browser.ts';
import { debugApi, filesForPage } from './lib/debug-api.ts';
import { runWatch } from './lib/watch.ts';

const IMAGE_EXT = /\.(jpe?g|png|gif|webp|bmp|avif|heic|heif|tiff?)$/i;
const STAGES = ['classify', 'detect', 'exif', 'faces'];
const METHODS = ['distance', 'classifier'];

function usage(msg: string): never {
  console.error(
    `batch: ${msg}\nusage: npm run batch -- --in <folder> --out <file.csv|file.json> [--stages classify,detect,exif,faces] [--model <id>] [--detector <id>] [--score 0.25] [--iou 0.45] [--backend auto|wasm|webgpu] [--threads N] [--gallery <folder with one subfolder per person>] [--method distance|classifier] [--threshold T]`,
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

/** Gallery photos, one subfolder per person (nested folders count for their top folder): paths `person/file`. */
async function listGallery(dir: string): Promise<{ files: string[]; paths: string[]; loose: string[] }> {
  const files: string[] = [];
  const paths: string[] = [];
  const loose: string[] = [];
  for (const f of (await listImages(dir)).files) {
    const rel = path.relative(dir, f).split(path.sep);
    if (rel.length < 2) loose.push(rel[0]);
    else {
      files.push(f);
      paths.push(`${rel[0]}/${rel.at(-1)}`);
    }
  }
  return { files, paths, loose };
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
    gallery: { type: 'string' },
    method: { type: 'string' },
    threshold: { type: 'string' },
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
if (!stages.length || stages.some((x) => !STAGES.includes(x))) usage(`--stages takes classify, detect, exif and/or faces (got '${values.stages}')`);
const faces = stages.includes('faces');
for (const [name, v] of [
  ['--gallery', values.gallery],
  ['--method', values.method],
  ['--threshold', values.threshold],
] as const)
  if (v !== undefined && !faces) usage(`${name} needs the faces stage (--stages ...,faces)`);
const method = values.method ?? 'distance';
if (!METHODS.includes(method)) usage(`--method must be distance or classifier (got '${values.method}')`);
// Distance: the largest cosine distance accepted (0..2); classifier: the smallest confidence accepted (0..1).
if (values.threshold !== undefined) {
  const t = Number(values.threshold);
  const max = method === 'classifier' ? 1 : 2;
  if (!(t > 0 && t < max)) usage(`--threshold for the ${method} method must be a number between 0 and ${max}`);
}
const galleryDir = values.gallery ? path.resolve(values.gallery) : null;
if (galleryDir && (!existsSync(galleryDir) || !statSync(galleryDir).isDirectory())) usage(`--gallery ${values.gallery} is not a folder`);
const gallery = galleryDir ? await listGallery(galleryDir) : null;
if (gallery && !gallery.files.length)
  usage(
    `--gallery ${values.gallery} is empty: it needs one subfolder per person holding that person's photos${gallery.loose.length ? ` (${gallery.loose.length} photo(s) directly in it, not in a person's folder)` : ''}`,
  );
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
const running = [
  model && `classifier ${model.id}`,
  detector && `detector ${detector.id}`,
  faces &&
    `faces (${method}${gallery ? `, gallery of ${new Set(gallery.paths.map((p) => p.split('/')[0])).size} people` : ', no gallery: every face Unknown'})`,
  'EXIF + image facts',
]
  .filter(Boolean)
  .join(', ');
console.log(`batch: ${files.length} image file(s) in ${inDir}${ignored ? ` (${ignored} other file(s) ignored)` : ''}; ${running}`);

/** A failure with a message for the user (no stack trace). */
class BatchError extends Error {}

/** Enrols the gallery through the app's own enrolment (src/pipeline/enrol.ts, reached through the ?debug API). */
function enrolGallery(page: Page, files: string[], paths: string[]): Promise<GalleryEnrolment> {
  return debugApi(page).run((api, [sent, paths]) => api.faces.enrol(api.files(sent), paths), [filesForPage(files, paths), paths] as const);
}

const app = await startApp();
let exitCode = 0;
try {
  const page = await (await app.browser.newContext({ acceptDownloads: true })).newPage();
  const q = new URLSearchParams({ model: model?.id ?? 'none', detector: detector?.id ?? '', backend: values.backend! });
  if (values.score) q.set('score', values.score);
  if (values.iou) q.set('iou', values.iou);
  if (values.threads) q.set('threads', values.threads);
  // The faces stage runs only when asked for (the app runs it by default).
  q.set('faces', faces ? '1' : '0');
  if (faces) q.set('method', method);
  if (values.threshold) q.set('threshold', values.threshold);
  if (values.watch || gallery) q.set('debug', '');
  await page.goto(`${app.url}?${q}`);
  const galleryErrors: FileError[] = [];
  let galleryInfo: Record<string, unknown> | null = null;
  if (gallery) {
    const g = await enrolGallery(page, gallery.files, gallery.paths);
    galleryErrors.push(...g.report.errors);
    for (const p of g.report.people) console.log(`  enrolled ${p.name}: ${p.samples} photo(s)`);
    for (const n of g.report.notes) console.log(`  note: ${n}`);
    for (const e of g.report.errors) console.error(`  gallery error: ${e.file}: ${e.code}: ${e.message}`);
    if (g.note) console.log(`  note: ${g.note}`);
    for (const l of gallery.loose) console.log(`  ignored ${l}: not in a person's folder`);
    if (!g.report.people.length) throw new BatchError(`no face found in any photo of the gallery ${galleryDir}: nobody could be enrolled`);
    console.log(`batch: gallery of ${g.report.people.length} people; recognition by ${g.method} (threshold ${g.threshold})`);
    galleryInfo = {
      folder: galleryDir,
      method: g.method,
      threshold: g.threshold,
      people: g.report.people,
      notes: [...g.report.notes, ...(g.note ? [g.note] : [])],
    };
  }
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
    // Gallery photos that could not be enrolled are the output's errors too (JSON; the CSV has no error list).
    if (format === '.json' && galleryInfo) {
      const doc = JSON.parse(await fs.readFile(path.resolve(values.out), 'utf8')) as { errors: FileError[] };
      const out = {
        ...doc,
        gallery: galleryInfo,
        errors: [...galleryErrors.map((e) => ({ ...e, file: `gallery/${e.file}`, stage: 'gallery' })), ...doc.errors],
      };
      await fs.writeFile(path.resolve(values.out), JSON.stringify(out, null, 2));
    }
    const errors = await page
      .getByTestId('error-row')
      .evaluateAll((rows) => rows.map((r) => `${r.getAttribute('data-file')}: ${r.querySelector('td:last-child')?.textContent?.trim()}`));
    for (const e of errors) console.error(`  error: ${e}`);
    // Stored, not failed: formats the browser cannot decode (HEIC, TIFF) keep their metadata only.
    const notices = await page
      .getByTestId('notice-row')
      .evaluateAll((rows) => rows.map((r) => `${r.getAttribute('data-file')}: ${r.querySelector('td:last-child')?.textContent?.trim()}`));
    for (const n of notices) console.log(`  stored metadata only: ${n}`);
    const tail = [
      errors.length && `${errors.length} file(s) failed (listed above)`,
      notices.length && `${notices.length} file(s) stored with metadata only`,
      galleryErrors.length && `${galleryErrors.length} gallery photo(s) not enrolled`,
    ];
    console.log(
      `batch: wrote ${values.out}${tail
        .filter(Boolean)
        .map((t) => `; ${t}`)
        .join('')}`,
    );
  }
} catch (e) {
  if (!(e instanceof BatchError)) throw e;
  console.error(`batch: ${e.message}`);
  exitCode = 1;
} finally {
  await app.close();
}
process.exit(exitCode);
