import { expect, test } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseCsvObjects } from '../../src/shared/csv.ts';
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
  expect(batch('--in', dir, '--out', out, '--stages', 'classify,faces').stderr).toContain('--stages takes classify, detect and/or exif');
  expect(batch('--in', dir, '--out', out, '--stages', 'detect', '--detector', 'mobilenetv2-12-int8').stderr).toContain('is a classification model');
  expect(batch('--in', dir, '--out', out, '--score', '2').stderr).toContain('--score must be a number between 0 and 1');
});
