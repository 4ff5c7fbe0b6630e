import path from 'node:path';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.ts';
import { expect, test } from './fixtures.ts';
import { DATA, imagenetFiles } from './helpers.ts';
import type { ExportedImage } from './pages/library.ts';
import { iou } from './yolo-reference.ts';

// With --enable-unsafe-webgpu Chromium offers a CPU-emulated SwiftShader adapter: slow, but it runs the real
// WebGPU code path (ORT's WebGPU build, sessions with the webgpu EP). Timing on it means nothing: this test checks
// results only, against the same photos through WASM in the same browser.
test.use({ launchOptions: { executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, '--enable-unsafe-webgpu'] } });

const files = [imagenetFiles()[11], path.join(DATA, 'coco/extra_no_gt/bus.jpg')]; // the beer bottle, the bus

test('WebGPU path: ResNet50 top-5 and YOLO boxes as on WASM (SwiftShader adapter, results only)', async ({ app, diagnostics, importPanel, library, debug }) => {
  test.setTimeout(900_000);
  await app.open('diagnostics');
  await expect(diagnostics.backend).toHaveText('webgpu', { timeout: 60_000 });
  await expect(diagnostics.webgpu).not.toHaveText('none');

  // The 416 detector: the same decode and NMS path as the 640 one at 40 % of the emulated GPU's work.
  const analyse = async (backend: 'webgpu' | 'wasm') => {
    await app.open(undefined, { debug: '', backend, detector: 'yolov8n-quant-416' });
    await debug.run((api) => api.clearLibrary());
    await importPanel.addFiles(files, 400_000);
    await importPanel.expectStatus('2 stored · 0 failed');
    return (await library.exportJson()).images;
  };
  const gpu = await analyse('webgpu');
  const cpu = await analyse('wasm');
  const byFile = (xs: ExportedImage[], f: string) => xs.find((x) => x.file === path.basename(f))!;
  const sure = (x: ExportedImage) => x.detection!.objects.filter((o) => o.score > 0.5);
  for (const f of files) {
    const [g, c] = [byFile(gpu, f), byFile(cpu, f)];
    expect(g.classification!.backend, f).toMatch(/^webgpu/);
    expect(c.classification!.backend, f).toMatch(/^wasm/);
    // Same top-5 in the same order, probabilities within 0.02 (float rounding differs between the two backends).
    expect(g.classification!.top5.map((l) => l.label)).toEqual(c.classification!.top5.map((l) => l.label));
    g.classification!.top5.forEach((l, i) => expect(Math.abs(l.prob - c.classification!.top5[i].prob)).toBeLessThan(0.02));
    // Every confident box on one backend has its twin (same class, IoU ≥ 0.9) on the other.
    expect(sure(g).length, f).toBe(sure(c).length);
    for (const o of sure(g))
      expect(
        sure(c).some((p) => p.label === o.label && iou(o, p) >= 0.9),
        `${f}: ${o.label} ${JSON.stringify(o)}`,
      ).toBe(true);
  }
  expect(byFile(gpu, files[0]).classification!.top5[0].label).toBe('beer bottle');
  const bus = sure(byFile(gpu, files[1]));
  expect(bus.filter((o) => o.label === 'bus')).toHaveLength(1);
  expect(bus.filter((o) => o.label === 'person').length).toBeGreaterThanOrEqual(3);
});
