import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseCsvObjects } from '../../src/shared/csv.ts';
import { expect, test } from './fixtures.ts';
import { DATA, imagenetFiles } from './helpers.ts';

// page.route() does not see requests a service worker makes: these tests fake the model server, so they run
// without the app's service worker (the offline behaviour has its own tests in pwa-*.spec.ts).
test.use({ serviceWorkers: 'block' });

const manifest = parseCsvObjects(readFileSync(path.join(DATA, 'bad/manifest.csv'), 'utf8'));
const mustFail = (expected: string) => /decode must fail|^reject/.test(expected);
const mustDecode = (expected: string) => /image decodes$/.test(expected);

test('every hostile file gets its own specific error, the rest of the batch completes, nothing stored is lost', async ({ page, app, importPanel, library }) => {
  await app.open();
  const good = imagenetFiles();
  await importPanel.addFiles(good.slice(0, 3));
  await library.expectCount(3);

  // Hostile files mixed with good ones in one batch.
  const bad = manifest.map((m) => path.join(DATA, 'bad', m.file));
  await importPanel.addFiles([...bad.slice(0, 9), good[3], ...bad.slice(9), good[4]]);

  const { images, errors } = await library.exportJson();
  const stored = new Set(images.map((i) => i.file));
  const errorByFile = new Map(errors.map((e) => [e.file, e]));
  for (const f of good.slice(0, 5)) expect(stored.has(path.basename(f)), `${f} stored`).toBe(true);

  const outcomes: string[] = [];
  for (const m of manifest) {
    const err = errorByFile.get(m.file);
    outcomes.push(`${m.file}: ${err ? `${err.code}: ${err.message}` : 'decoded and stored'}`);
    // Every file is accounted for exactly once: stored or with an error.
    expect(stored.has(m.file) !== !!err, `${m.file} is either stored or has an error`).toBe(true);
    if (mustFail(m.expected_behaviour)) expect(err, `${m.file} (${m.kind}) must be rejected`).toBeDefined();
    if (mustDecode(m.expected_behaviour)) expect(stored.has(m.file), `${m.file} (${m.kind}) must decode`).toBe(true);
    if (err) {
      // Specific: a known code other than the catch-all, and a message that says what is wrong.
      expect(err.code).not.toBe('inference-failed');
      expect(err.message.length).toBeGreaterThan(15);
    }
  }
  console.log(outcomes.join('\n'));

  // The error list in the UI shows the same rows.
  await expect(importPanel.errorRows).toHaveCount(errors.length);
  await expect(importPanel.errorRow('lottapixel.jpg')).toContainText('too-many-pixels');
  await expect(importPanel.errorRow('gen_empty.jpg')).toContainText('empty');
  // Nothing already stored was lost, and the library survives a reload.
  await page.reload();
  await library.expectCount(images.length);
});

test('a missing model and a model answered with HTML give clear messages, not a hang', async ({ page, app, importPanel, library }) => {
  await page.route('**/models/files/*.onnx', (route) => route.fulfill({ status: 404, body: 'Not found' }));
  await app.open();
  await importPanel.addFiles(imagenetFiles().slice(0, 2));
  await expect(importPanel.failure).toContainText('resnet50-keras-fp16w.onnx is not on the server (HTTP 404)');
  await library.expectCount(0);

  await page.unroute('**/models/files/*.onnx');
  await page.route('**/models/files/*.onnx', (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>app</title>' }));
  await importPanel.addFiles(imagenetFiles().slice(0, 2));
  await expect(importPanel.failure).toContainText('HTML page instead of the model');
});
