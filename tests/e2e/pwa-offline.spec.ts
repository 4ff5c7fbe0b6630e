// Offline: visit online once, go offline (the browser is offline and the server drops every connection),
// reload: the app comes from the service worker, stays cross-origin isolated (WASM threads), and classifies,
// detects and finds faces with the models and wasm it cached (ONNX models, ORT wasm, human's face models and the
// tfjs wasm). A model that is not cached offline (ONNX or faces) fails with a clear message, not a hang.
import type { BrowserContext, Page } from '@playwright/test';
import path from 'node:path';
import { expect, test } from './fixtures.ts';
import { DATA, imagenetFiles } from './helpers.ts';
import { sightline } from './pages/index.ts';
import { PwaServer } from './pwa-server.ts';

const BUS = path.join(DATA, 'coco/extra_no_gt/bus.jpg');
const VLADO = path.join(DATA, 'faces/vlado/person-vlado.jpg');
const VLADO1 = path.join(DATA, 'faces/vlado/person-vlado1.jpg');
/** src/pwa/sw-shared.ts HUMAN_CACHE for human 3.3.6 / tfjs 4.22.0. */
const HUMAN_CACHE = 'sightline-human-3.3.6-tfjs-4.22.0';
const FACE_MODEL_FILES = ['blazeface', 'facemesh', 'faceres'].flatMap((m) => [`/human/models/${m}.bin`, `/human/models/${m}.json`]).sort();
/** The tfjs wasm the faces worker loads: single-threaded, SIMD. */
const TFJS_WASM = '/human/wasm/tfjs-backend-wasm-simd.wasm';
let server: PwaServer;

test.beforeAll(async () => {
  server = await PwaServer.start();
});
test.afterAll(async () => {
  await server?.close();
});
test.beforeEach(() => {
  server.down = false;
});

/** Cache Storage entries (paths) of one cache, as the page sees them. */
async function cachedPaths(page: Page, cache: string): Promise<string[]> {
  return page.evaluate(async (name) => (await (await caches.open(name)).keys()).map((r) => new URL(r.url).pathname).sort(), cache);
}

async function goOffline(context: BrowserContext): Promise<number> {
  server.down = true;
  await context.setOffline(true);
  return server.requests.length;
}

/** The stored faces results, by file name: how many faces, and which backend found them (from IndexedDB). */
async function storedFaces(page: Page): Promise<Record<string, { faces: number; backend: string; modelId: string }>> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const r = indexedDB.open('sightline');
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    const all = <T>(store: string) =>
      new Promise<T[]>((resolve, reject) => {
        const r = db.transaction(store).objectStore(store).getAll();
        r.onsuccess = () => resolve(r.result as T[]);
        r.onerror = () => reject(r.error);
      });
    const names = new Map((await all<{ id: string; name: string }>('images')).map((i) => [i.id, i.name]));
    const results = await all<{ imageId: string; stage: string; faces: unknown[]; backend: string; modelId: string }>('results');
    db.close();
    return Object.fromEntries(
      results
        .filter((r) => r.stage === 'faces')
        .map((r) => [names.get(r.imageId) ?? r.imageId, { faces: r.faces.length, backend: r.backend, modelId: r.modelId }]),
    );
  });
}

test('visited online once, the app reloads offline, stays cross-origin isolated, and classifies, detects and finds faces with models cached on first use', async ({
  page,
  context,
}) => {
  test.setTimeout(420_000);
  const { app, importPanel, library, diagnostics } = sightline(page, server.url);
  const q = { detector: 'yolov8n-quant-416', faces: 1 };
  await app.open(undefined, q);
  await expect(app.ready).toContainText('Ready to work offline');
  // First use online: the service worker keeps the classifier, the detector, the ORT wasm, the face models and
  // the tfjs wasm.
  const [first, ...rest] = imagenetFiles();
  await importPanel.addFiles([first, VLADO]);
  await importPanel.expectStatus('2 stored · 0 failed');
  expect((await storedFaces(page))[path.basename(VLADO)]?.faces).toBe(1);
  await expect
    .poll(() => cachedPaths(page, 'sightline-models-v1'), { timeout: 60_000 })
    .toEqual(['/models/files/resnet50-keras-fp16w.onnx', '/models/files/yolov8n_quant_416.onnx']);
  await expect
    .poll(() => cachedPaths(page, 'sightline-wasm-v1'), { timeout: 60_000 })
    .toEqual([expect.stringMatching(/^\/assets\/ort-wasm-simd-threaded-[\w-]+\.wasm$/)]);
  await expect.poll(() => cachedPaths(page, HUMAN_CACHE), { timeout: 60_000 }).toEqual([...FACE_MODEL_FILES, TFJS_WASM].sort());
  // Each kept with the sha256 it was checked against (pwa-assets.json, written by the build).
  const shas = await page.evaluate(async (name) => {
    const cache = await caches.open(name);
    return Promise.all((await cache.keys()).map(async (r) => (await cache.match(r))!.headers.get('X-Sightline-Sha256')));
  }, HUMAN_CACHE);
  expect(shas.every((h) => /^[0-9a-f]{64}$/.test(h ?? ''))).toBe(true);

  const seen = await goOffline(context);
  await app.open('diagnostics', q);
  await expect(app.netStatus).toHaveText('Offline');
  await expect(diagnostics.coi).toHaveText('true');
  await expect(diagnostics.backend).toHaveText('wasm');
  await expect(diagnostics.threads).toContainText(/^2 /);
  expect(await page.evaluate(() => crossOriginIsolated && typeof SharedArrayBuffer === 'function')).toBe(true);

  await app.open('library', q);
  await library.expectCount(2); // IndexedDB survived, of course
  const beer = rest[10]; // in_dev_0011: beer bottle
  await importPanel.addFiles([beer, BUS, VLADO1]);
  await importPanel.expectStatus('3 stored · 0 failed');
  // The faces stage ran offline with the cached models and wasm: one face in Vlado's other photo.
  const faces = await storedFaces(page);
  expect(faces[path.basename(VLADO1)]).toMatchObject({ faces: 1, backend: expect.stringMatching(/\/human$/), modelId: 'human-3.3.6-faceres' });
  expect(Object.keys(faces)).toEqual(expect.arrayContaining([path.basename(beer), 'bus.jpg']));
  const { images } = await library.exportJson();
  const byFile = new Map(images.map((i) => [i.file, i]));
  expect(byFile.get(path.basename(beer))!.classification!.top5[0].label).toBe('beer bottle');
  const busObjects = byFile.get('bus.jpg')!.detection!.objects.filter((o) => o.score > 0.5);
  expect(busObjects.some((o) => o.label === 'bus')).toBe(true);
  expect(busObjects.filter((o) => o.label === 'person').length).toBeGreaterThanOrEqual(3);
  // Nothing reached the server while it was "down" (it drops connections without logging them either way).
  expect(server.requests.length).toBe(seen);
});

test('"Make available offline" downloads every enabled model with progress; offline, a downloaded model works and a missing one fails clearly', async ({
  page,
  context,
}) => {
  test.setTimeout(420_000);
  const { app, importPanel, offlinePanel: offline } = sightline(page, server.url);
  await app.open('offline');
  await offline.expectReady();
  const rows = offline.items;
  await expect(rows).toHaveCount(8); // 5 models offered in the app + the face models + the ORT wasm + the tfjs wasm
  for (const row of await rows.all()) await expect(row).toHaveAttribute('data-cached', 'false');
  const facesRow = offline.item('faces:human-3.3.6');
  await expect(facesRow).toContainText('Faces (human 3.3.6): blazeface, facemesh, faceres');
  await expect(facesRow).toContainText('8.8 MB');
  await expect(offline.item('runtime:tfjs-backend-wasm-simd')).toContainText('with faces');

  // Leave out the 102 MB fp32 ResNet: it stays "not cached" and is the missing model below.
  await page.getByLabel('Keep ResNet50 (Keras weights, fp32) offline').uncheck();
  await offline.makeOffline();
  await expect(offline.progress).toBeVisible();
  await expect(offline.note).toHaveText('All 7 files are available offline.', { timeout: 300_000 });
  expect(await offline.progress.getAttribute('value')).toBe(await offline.progress.getAttribute('max'));
  await expect(offline.progressText).toContainText('(100%)');
  const cached = async (key: string) => offline.item(key).getAttribute('data-cached');
  for (const key of [
    'resnet50-keras-fp16w',
    'mobilenetv2-12-int8',
    'yolov8n-int8-640',
    'yolov8n-quant-416',
    'faces:human-3.3.6',
    'runtime:ort-wasm-simd-threaded',
    'runtime:tfjs-backend-wasm-simd',
  ])
    expect(await cached(key), key).toBe('true');
  expect(await cached('resnet50-keras-fp32')).toBe('false');
  await expect(offline.makeOfflineButton).toHaveText('Available offline');

  await goOffline(context);
  // MobileNetV2, YOLOv8n-640 and the face models were never used online: only the download above cached them.
  await app.open('library', { model: 'mobilenetv2-12-int8', detector: 'yolov8n-int8-640', faces: 1 });
  await expect(app.netStatus).toHaveText('Offline');
  await importPanel.addFiles([imagenetFiles()[11], BUS, VLADO1]);
  await importPanel.expectStatus('3 stored · 0 failed');
  expect((await storedFaces(page))[path.basename(VLADO1)]?.faces).toBe(1);

  // A model that was never downloaded: a clear message within seconds, not a hang.
  await app.open('library', { model: 'resnet50-keras-fp32' });
  const t0 = Date.now();
  await importPanel.addFiles([imagenetFiles()[0]], 60_000);
  await expect(importPanel.failure).toContainText('resnet50-keras-fp32.onnx could not be downloaded');
  await expect(importPanel.failure).toContainText('offline');
  expect(Date.now() - t0).toBeLessThan(30_000);
});

test('offline with the face models never cached, a photo with faces on fails at once with a clear message, not a hang', async ({ page, context }) => {
  test.setTimeout(300_000);
  const { app, importPanel, offlinePanel: offline } = sightline(page, server.url);
  // Online once with faces off: the app shell, the classifier and the ORT wasm are cached, human's files are not.
  await app.open('library', { faces: 0 });
  await app.expectOfflineReady(60_000);
  await importPanel.addFiles([imagenetFiles()[0]]);
  await importPanel.expectStatus('1 stored · 0 failed');
  expect(await cachedPaths(page, HUMAN_CACHE)).toEqual([]);

  const offlineImport = async (): Promise<string> => {
    await app.open('offline', { faces: 1 });
    await expect(offline.item('faces:human-3.3.6')).toHaveAttribute('data-cached', 'false');
    await app.open('library', { faces: 1 });
    await expect(app.netStatus).toHaveText('Offline');
    const t0 = Date.now();
    await importPanel.addFiles([VLADO1], 60_000);
    const failure = importPanel.failure;
    await expect(failure).toContainText('are you offline?');
    await expect(failure).toContainText('Make available offline');
    expect(Date.now() - t0).toBeLessThan(30_000);
    expect(await storedFaces(page)).toEqual({});
    return (await failure.textContent()) ?? '';
  };

  // Nothing of human cached: the tfjs wasm is the first file it cannot fetch.
  await goOffline(context);
  expect(await offlineImport()).toContain('Face runtime tfjs-backend-wasm-simd.wasm could not be downloaded');

  // The wasm cached (fetched once online through the service worker), the models not: the first model is named.
  server.down = false;
  await context.setOffline(false);
  await app.open('library');
  expect(await page.evaluate(async (url) => (await fetch(url)).status, TFJS_WASM)).toBe(200);
  await expect.poll(() => cachedPaths(page, HUMAN_CACHE)).toEqual([TFJS_WASM]);
  await goOffline(context);
  expect(await offlineImport()).toContain('Face model blazeface.json could not be downloaded');
});
