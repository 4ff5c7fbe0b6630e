import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import jpeg from 'jpeg-js';
import { parseCsvObjects } from '../../src/shared/csv.ts';
import { expect, test } from './fixtures.ts';
import { DATA, imagenetFiles, imagenetTruth } from './helpers.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const batch = (...args: string[]) => spawnSync('node', ['--import', 'tsx', 'scripts/batch.ts', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 170_000 });

test('npm run batch tags a folder through the built app: CSV and JSON outputs, per-file errors', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sightline-batch-'));
  const picks = imagenetFiles().slice(9, 13);
  for (const f of picks) copyFileSync(f, path.join(dir, path.basename(f)));
  copyFileSync(path.join(DATA, 'bad/gen_text_as.jpg'), path.join(dir, 'gen_text_as.jpg'));
  copyFileSync(path.join(DATA, 'bad/lottapixel.jpg'), path.join(dir, 'lottapixel.jpg'));
  writeFileSync(path.join(dir, 'notes.txt'), 'not an image: ignored by extension');

  const out = path.join(dir, 'out.csv');
  const r = batch('--in', dir, '--out', out);
  expect(r.status, r.stderr).toBe(0);
  expect(r.stdout).toContain('6 image file(s)');
  expect(r.stdout).toContain('1 other file(s) ignored');
  expect(r.stderr).toContain('lottapixel.jpg: too-many-pixels');
  expect(r.stderr).toContain('gen_text_as.jpg: not-an-image');
  const rows = parseCsvObjects(readFileSync(out, 'utf8'));
  expect(rows).toHaveLength(4);
  const truth = imagenetTruth();
  const correct = rows.filter((row) => row.top5.includes(truth.get(row.file_name)!)).length;
  expect(correct).toBeGreaterThanOrEqual(3);

  const json = path.join(dir, 'out.json');
  const rj = batch('--in', dir, '--out', json, '--model', 'mobilenetv2-12-int8');
  expect(rj.status, rj.stderr).toBe(0);
  const parsed = JSON.parse(readFileSync(json, 'utf8'));
  expect(parsed.images).toHaveLength(4);
  expect(parsed.images[0].classification.modelId).toBe('mobilenetv2-12-int8');
  expect(parsed.errors.map((e: { code: string }) => e.code).sort()).toEqual(['not-an-image', 'too-many-pixels']);
});

test('npm run batch refuses bad arguments with a clear message', async () => {
  expect(batch('--in', '/no/such/folder', '--out', 'x.csv').stderr).toContain('is not a folder');
  expect(batch('--in', DATA, '--out', 'x.txt').stderr).toContain('--out must end in .csv or .json');
  const r = batch('--in', path.join(DATA, 'imagenet'), '--out', 'x.csv', '--model', 'nope');
  expect(r.status).toBe(2);
  expect(r.stderr).toContain("Unknown model 'nope'");
});

test('npm run batch --stages classify,detect lists every box in original pixels', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sightline-detect-'));
  copyFileSync(path.join(DATA, 'coco/extra_no_gt/bus.jpg'), path.join(dir, 'bus.jpg'));
  const out = path.join(dir, 'out.json');
  const r = batch('--in', dir, '--out', out, '--stages', 'classify,detect', '--detector', 'yolov8n-quant-416', '--score', '0.5');
  expect(r.status, r.stderr).toBe(0);
  expect(r.stdout).toContain('detector yolov8n-quant-416');
  const [img] = JSON.parse(readFileSync(out, 'utf8')).images;
  expect(img.classification.top5).toHaveLength(5);
  expect(img.detection.modelId).toBe('yolov8n-quant-416');
  expect(img.detection.scoreThreshold).toBe(0.5);
  const labels = img.detection.objects.map((o: { label: string }) => o.label);
  expect(labels).toContain('bus');
  expect(labels.filter((l: string) => l === 'person').length).toBeGreaterThanOrEqual(3);
  for (const o of img.detection.objects) {
    expect(Object.keys(o).sort()).toEqual(['classIndex', 'height', 'label', 'score', 'width', 'x', 'y']);
    expect(o.score).toBeGreaterThanOrEqual(0.5);
    expect(o.x + o.width).toBeLessThanOrEqual(810.1); // bus.jpg is 810×1080
    expect(o.y + o.height).toBeLessThanOrEqual(1080.1);
  }
  expect(batch('--in', dir, '--out', out, '--stages', 'classify,ocr').stderr).toContain('--stages takes classify, detect, exif and/or faces');
  expect(batch('--in', dir, '--out', out, '--stages', 'detect', '--detector', 'mobilenetv2-12-int8').stderr).toContain('is a classification model');
  expect(batch('--in', dir, '--out', out, '--score', '2').stderr).toContain('--score must be a number between 0 and 1');
});

interface FaceOut {
  x: number;
  y: number;
  width: number;
  height: number;
  score: number;
  name: string;
  method: string;
  distance?: number | null;
  confidence?: number | null;
}
interface ImageOut {
  file: string;
  width: number;
  height: number;
  faces?: { method: string; threshold: number; faces: FaceOut[] };
}

/** Gallery: one folder per identity with its first photo (sorted); --in: every other photo. */
function faceFolders(): { gallery: string; input: string; truth: Map<string, string>; dir: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sightline-faces-'));
  const gallery = path.join(dir, 'gallery');
  const input = path.join(dir, 'in');
  mkdirSync(input);
  const truth = new Map<string, string>();
  const faces = path.join(DATA, 'faces');
  for (const who of readdirSync(faces, { withFileTypes: true }).filter((d) => d.isDirectory())) {
    const [first, ...rest] = readdirSync(path.join(faces, who.name)).sort();
    mkdirSync(path.join(gallery, who.name), { recursive: true });
    copyFileSync(path.join(faces, who.name, first), path.join(gallery, who.name, first));
    for (const f of rest) {
      copyFileSync(path.join(faces, who.name, f), path.join(input, f));
      truth.set(f, who.name);
    }
  }
  return { gallery, input, truth, dir };
}

test('npm run batch --stages faces --gallery names every face with its identity (distance), and the classifier works too', async () => {
  test.setTimeout(400_000);
  const { gallery, input, truth, dir } = faceFolders();
  expect(truth.size).toBe(7);
  const out = path.join(dir, 'out.json');
  const r = batch('--in', input, '--out', out, '--stages', 'faces', '--gallery', gallery, '--method', 'distance');
  expect(r.status, r.stderr).toBe(0);
  expect(r.stdout).toContain('7 image file(s)');
  expect(r.stdout).toMatch(/enrolled sheldon: 1 photo/);
  const doc = JSON.parse(readFileSync(out, 'utf8')) as {
    images: ImageOut[];
    errors: { file: string; code: string; message: string }[];
    gallery: { method: string };
  };
  expect(doc.images).toHaveLength(7);
  expect(doc.gallery.method).toBe('distance');
  for (const img of doc.images) {
    expect(img.faces?.method, img.file).toBe('distance');
    expect(img.faces!.faces, img.file).toHaveLength(1);
    const [f] = img.faces!.faces;
    expect(f.name, img.file).toBe(truth.get(img.file));
    expect(f.method).toBe('distance');
    expect(f.distance).toBeLessThanOrEqual(img.faces!.threshold);
    expect(f.score).toBeGreaterThan(0.3);
    // Boxes in original pixels, inside the photo.
    expect(f.x).toBeGreaterThanOrEqual(0);
    expect(f.x + f.width).toBeLessThanOrEqual(img.width + 0.1);
    expect(f.y + f.height).toBeLessThanOrEqual(img.height + 0.1);
  }
  expect(doc.errors).toEqual([]);

  const outC = path.join(dir, 'out-classifier.json');
  const rc = batch('--in', input, '--out', outC, '--stages', 'faces', '--gallery', gallery, '--method', 'classifier');
  expect(rc.status, rc.stderr).toBe(0);
  const docC = JSON.parse(readFileSync(outC, 'utf8')) as { images: ImageOut[] };
  let named = 0;
  for (const img of docC.images) {
    const [f] = img.faces!.faces;
    expect(f.method).toBe('classifier');
    expect(f.confidence).toBeGreaterThan(0);
    // Never someone else: the true identity, or Unknown below the confidence bar.
    expect([truth.get(img.file), 'Unknown'], img.file).toContain(f.name);
    if (f.name !== 'Unknown') {
      named++;
      expect(f.confidence).toBeGreaterThanOrEqual(img.faces!.threshold);
    }
  }
  expect(named).toBeGreaterThanOrEqual(4);
});

test('npm run batch --stages faces: a gallery photo with no face is listed in the errors; bad gallery arguments are refused', async () => {
  test.setTimeout(200_000);
  const { gallery, input, dir } = faceFolders();
  const blank = path.join(gallery, 'penny', 'blank.jpg');
  // A flat grey photo: no face in it.
  const grey = jpeg.encode({ width: 64, height: 64, data: Buffer.alloc(64 * 64 * 4, 128) }, 90);
  writeFileSync(blank, grey.data);
  const out = path.join(dir, 'out.json');
  const r = batch('--in', input, '--out', out, '--stages', 'faces', '--gallery', gallery);
  expect(r.status, r.stderr).toBe(0);
  expect(r.stderr).toContain('penny/blank.jpg');
  expect(r.stdout).toContain('1 gallery photo(s) not enrolled');
  const doc = JSON.parse(readFileSync(out, 'utf8')) as { images: ImageOut[]; errors: { file: string; message: string }[] };
  expect(doc.errors.map((e) => e.file)).toEqual(['gallery/penny/blank.jpg']);
  expect(doc.errors[0].message).toContain('no face found');
  expect(doc.images).toHaveLength(7);

  const empty = path.join(dir, 'empty');
  mkdirSync(empty);
  for (const [args, message] of [
    [['--gallery', path.join(dir, 'nope')], 'is not a folder'],
    [['--gallery', empty], 'is empty: it needs one subfolder per person'],
    [['--gallery', gallery, '--method', 'knn'], '--method must be distance or classifier'],
    [['--method', 'classifier', '--threshold', '1.5'], '--threshold for the classifier method must be a number between 0 and 1'],
  ] as const) {
    const bad = batch('--in', input, '--out', out, '--stages', 'faces', ...args);
    expect(bad.status, args.join(' ')).toBe(2);
    expect(bad.stderr).toContain(message);
  }
  const noStage = batch('--in', input, '--out', out, '--gallery', gallery);
  expect(noStage.status).toBe(2);
  expect(noStage.stderr).toContain('--gallery needs the faces stage');
});
