import { expect, test, type Page } from '@playwright/test';
import path from 'node:path';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.ts';
import { addFiles, DATA, downloadText, imagenetFiles } from './helpers.ts';
import { iou, type RefBox } from './yolo-reference.ts';

// With --enable-unsafe-webgpu Chromium offers a CPU-emulated SwiftShader adapter: slow, but it runs the real
// WebGPU code path (ORT's WebGPU build, sessions with the webgpu EP). Timing on it means nothing: this test checks
// results only, against the same photos through WASM in the same browser.
test.use({ launchOptions: { executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, '--enable-unsafe-webgpu'] } });

interface Exported {
  images: {
    file: string;
    classification?: { top5: { label: string; prob: number }[]; backend: string };
    detection?: { objects: RefBox[]; backend?: string };
  }[];
}

const files = [imagenetFiles()[11], path.join(DATA, 'coco/extra_no_gt/bus.jpg')]; // the beer bottle, the bus

async function analyse(page: Page, backend: 'webgpu' | 'wasm'): Promise<Exported['images']> {
  await page.goto(`/?debug&backend=${backend}&detector=yolov8n-int8-640`);
  await page.waitForFunction(() => '__sightline' in globalThis);
  await page.evaluate(() => (globalThis as unknown as { __sightline: { clearLibrary(): Promise<void> } }).__sightline.clearLibrary());
  await addFiles(page, files, 400_000);
  await expect(page.getByTestId('batch-status')).toContainText('2 stored · 0 failed');
  return (JSON.parse(await downloadText(page, 'export-json')) as Exported).images;
}

test('WebGPU path: ResNet50 top-5 and YOLO boxes as on WASM (SwiftShader adapter, results only)', async ({ page }) => {
  test.setTimeout(900_000);
  await page.goto('/#diagnostics');
  await expect(page.getByTestId('diag-backend')).toHaveText('webgpu', { timeout: 60_000 });
  await expect(page.getByTestId('diag-webgpu')).not.toHaveText('none');

  const gpu = await analyse(page, 'webgpu');
  const cpu = await analyse(page, 'wasm');
  const byFile = (xs: Exported['images'], f: string) => xs.find((x) => x.file === path.basename(f))!;
  for (const f of files) {
    const [g, c] = [byFile(gpu, f), byFile(cpu, f)];
    expect(g.classification!.backend, f).toMatch(/^webgpu/);
    expect(c.classification!.backend, f).toMatch(/^wasm/);
    // Same top-5 in the same order, probabilities within 0.02 (float rounding differs between the two backends).
    expect(g.classification!.top5.map((l) => l.label)).toEqual(c.classification!.top5.map((l) => l.label));
    g.classification!.top5.forEach((l, i) => expect(Math.abs(l.prob - c.classification!.top5[i].prob)).toBeLessThan(0.02));
    // Every confident box on one backend has its twin (same class, IoU ≥ 0.9) on the other.
    const sure = (x: Exported['images'][number]) => x.detection!.objects.filter((o) => o.score > 0.5);
    expect(sure(g).length, f).toBe(sure(c).length);
    for (const o of sure(g))
      expect(
        sure(c).some((p) => p.label === o.label && iou(o, p) >= 0.9),
        `${f}: ${o.label} ${JSON.stringify(o)}`,
      ).toBe(true);
  }
  expect(byFile(gpu, files[0]).classification!.top5[0].label).toBe('beer bottle');
  const bus = byFile(gpu, files[1]).detection!.objects.filter((o) => o.score > 0.5);
  expect(bus.filter((o) => o.label === 'bus')).toHaveLength(1);
  expect(bus.filter((o) => o.label === 'person').length).toBeGreaterThanOrEqual(3);
});
