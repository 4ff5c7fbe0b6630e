import type { Page } from '@playwright/test';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parseCsvObjects } from '../../src/shared/csv.ts';
import { expect, test } from './fixtures.ts';
import { DATA } from './helpers.ts';
import { sightline, type ExportedResults } from './pages/index.ts';
import { precisionRecall, referenceDetect, type Pixels, type RefBox } from './yolo-reference.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const COCO = path.join(DATA, 'coco');
const coco80 = parseCsvObjects(readFileSync(path.join(ROOT, 'models/labels/coco80_classes.csv'), 'utf8'));
const labels = coco80.map((r) => r.name);

async function detectInApp(page: Page, detector: string, files: string[]): Promise<ExportedResults> {
  const { app, importPanel, library } = sightline(page);
  await app.open(undefined, { model: 'none', detector });
  await importPanel.addFiles(files);
  return library.exportJson();
}

/** RGBA pixels as Chromium decodes the file (no resizing). */
async function browserPixels(page: Page, file: string): Promise<Pixels> {
  const b64 = readFileSync(file).toString('base64');
  const r = await page.evaluate(async (data) => {
    const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
    const bmp = await createImageBitmap(new Blob([bytes]));
    const ctx = new OffscreenCanvas(bmp.width, bmp.height).getContext('2d')!;
    ctx.drawImage(bmp, 0, 0);
    const px = ctx.getImageData(0, 0, bmp.width, bmp.height).data;
    let s = '';
    for (let i = 0; i < px.length; i += 0x8000) s += String.fromCharCode(...px.subarray(i, i + 0x8000));
    return { width: bmp.width, height: bmp.height, data: btoa(s) };
  }, b64);
  return { width: r.width, height: r.height, data: new Uint8Array(Buffer.from(r.data, 'base64')) };
}

function groundTruth(): Map<string, RefBox[]> {
  const ann = JSON.parse(readFileSync(path.join(COCO, 'annotations_train2017.json'), 'utf8'));
  const byCat = new Map(coco80.map((r) => [Number(r.coco_category_id), r.name]));
  const names = new Map<number, string>(ann.images.map((i: { id: number; file_name: string }) => [i.id, i.file_name]));
  const truth = new Map<string, RefBox[]>([...names.values()].map((f) => [f, []]));
  for (const a of ann.annotations) {
    if (a.iscrowd) continue;
    const [x, y, width, height] = a.bbox;
    truth.get(names.get(a.image_id)!)!.push({ label: byCat.get(a.category_id)!, score: 1, x, y, width, height });
  }
  return truth;
}

test('bus.jpg and zidane.jpg: the expected objects, boxes inside the image', async ({ page, library }) => {
  const files = ['bus.jpg', 'zidane.jpg'].map((f) => path.join(COCO, 'extra_no_gt', f));
  const { images } = await detectInApp(page, 'yolov8n-int8-640', files);
  const objects = (f: string) => images.find((i) => i.file === f)!.detection!.objects.filter((o) => o.score > 0.5);
  const bus = objects('bus.jpg');
  expect(bus.filter((o) => o.label === 'bus')).toHaveLength(1);
  expect(bus.filter((o) => o.label === 'person').length).toBeGreaterThanOrEqual(3);
  expect(objects('zidane.jpg').filter((o) => o.label === 'person')).toHaveLength(2);
  for (const img of images)
    for (const o of img.detection!.objects) {
      expect(o.x).toBeGreaterThanOrEqual(0);
      expect(o.x + o.width).toBeLessThanOrEqual(img.width + 0.1);
      expect(o.y + o.height).toBeLessThanOrEqual(img.height + 0.1);
    }
  // The detail view draws the boxes with their class, and a class can be hidden.
  const detail = await library.open('bus.jpg');
  await expect(detail.boxes('bus')).toHaveCount(1);
  await detail.objectToggles.getByLabel(/bus/).uncheck();
  await expect(detail.boxes('bus')).toHaveCount(0);
  await expect(detail.boxes('person').first()).toBeVisible();
});

for (const [detector, file, size] of [
  ['yolov8n-int8-640', 'yolov8n_int8_640.onnx', 640],
  ['yolov8n-quant-416', 'yolov8n_quant_416.onnx', 416],
] as const) {
  test(`${detector}: precision/recall at IoU 0.5 on the 10 COCO images within 0.02 of an onnxruntime-node reference`, async ({ page }) => {
    const dir = path.join(COCO, 'images/train2017');
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.jpg'))
      .map((f) => path.join(dir, f));
    expect(files).toHaveLength(10);
    const truth = groundTruth();
    const app = await detectInApp(page, detector, files);
    const ours = new Map(app.images.map((i) => [i.file, i.detection!.objects]));
    // The reference gets the browser's decoded pixels: libjpeg-turbo and jpeg-js differ slightly, and with 50
    // boxes one borderline detection is already 0.02. Everything after decoding is independent code.
    const reference = await referenceDetect(path.join(ROOT, 'models/files', file), files, size, labels, (f) => browserPixels(page, f));
    const jpegJs = await referenceDetect(path.join(ROOT, 'models/files', file), files, size, labels);
    const a = precisionRecall(ours, truth);
    const b = precisionRecall(reference, truth);
    const c = precisionRecall(jpegJs, truth);
    const fmt = (m: typeof a) => `P ${m.precision.toFixed(3)} R ${m.recall.toFixed(3)} (${m.tp}/${m.preds} of ${m.gts})`;
    console.log(`${detector}: browser ${fmt(a)}; node reference ${fmt(b)}; node reference with jpeg-js decoding ${fmt(c)}`);
    expect(Math.abs(a.precision - b.precision)).toBeLessThanOrEqual(0.02);
    expect(Math.abs(a.recall - b.recall)).toBeLessThanOrEqual(0.02);
    expect(a.recall).toBeGreaterThan(0.3);
  });
}
