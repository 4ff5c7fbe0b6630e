import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { imagenetFiles } from './helpers.ts';

interface Out {
  labels: { label: string; prob: number }[];
  batch?: number;
}
type Hook = (modelId: string, files: Blob[]) => Promise<{ batched: Out[]; single: Out[] }>;

/** Calls the ?debug hook with the files' bytes; a refusal comes back as its message. */
async function classifyBatch(page: Page, modelId: string, files: string[]): Promise<{ batched: Out[]; single: Out[] } | string> {
  const payload = files.map((f) => readFileSync(f).toString('base64'));
  return page.evaluate(
    async ([id, data]) => {
      const blobs = data.map((b) => new Blob([Uint8Array.from(atob(b), (c) => c.charCodeAt(0))], { type: 'image/jpeg' }));
      try {
        return await (globalThis as unknown as { __sightline: { classifyBatch: Hook } }).__sightline.classifyBatch(id, blobs);
      } catch (e) {
        return (e as Error).message;
      }
    },
    [modelId, payload] as const,
  );
}

test('ResNet50 on 4 images in one run gives each image the result it gets alone; more than the model allows is refused', async ({ page }) => {
  await page.goto('/?debug&backend=wasm');
  await page.waitForFunction(() => '__sightline' in globalThis);
  const files = imagenetFiles().slice(10, 14);
  const r = await classifyBatch(page, 'resnet50-keras-fp16w', files);
  if (typeof r === 'string') throw new Error(r);
  expect(r.batched).toHaveLength(4);
  r.batched.forEach((b, i) => {
    expect(b.batch).toBe(4);
    expect(r.single[i].batch).toBe(1);
    expect(
      b.labels.map((l) => l.label),
      path.basename(files[i]),
    ).toEqual(r.single[i].labels.map((l) => l.label));
    b.labels.forEach((l, k) => expect(Math.abs(l.prob - r.single[i].labels[k].prob)).toBeLessThan(1e-3));
  });
  expect(r.batched[1].labels[0].label).toBe('beer bottle'); // in_dev_0011

  // Nine images: the manifest allows 8 per run. YOLO's input has a fixed batch of 1.
  expect(await classifyBatch(page, 'resnet50-keras-fp16w', imagenetFiles().slice(0, 9))).toBe('resnet50-keras-fp16w takes at most 8 image(s) per run, got 9');
  expect(await classifyBatch(page, 'yolov8n-int8-640', files.slice(0, 2))).toBe('yolov8n-int8-640 takes at most 1 image(s) per run, got 2');
});
