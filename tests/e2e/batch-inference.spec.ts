import path from 'node:path';
import { filesForPage, type DebugApiHandle } from '../../scripts/lib/debug-api.ts';
import type { BatchLabels } from '../../src/debug/api.ts';
import { expect, test } from './fixtures.ts';
import { imagenetFiles } from './helpers.ts';

/** Runs the ?debug classifyBatch hook on local files; a refusal comes back as its message. */
async function classifyBatch(debug: DebugApiHandle, modelId: string, files: string[]): Promise<{ batched: BatchLabels[]; single: BatchLabels[] } | string> {
  return debug.run(
    async (api, [id, sent]) => {
      try {
        return await api.classifyBatch(id, api.files(sent));
      } catch (e) {
        return (e as Error).message;
      }
    },
    [modelId, filesForPage(files)] as const,
  );
}

test('ResNet50 on 4 images in one run gives each image the result it gets alone; more than the model allows is refused', async ({ app, debug }) => {
  await app.open(undefined, { debug: '', backend: 'wasm' });
  const files = imagenetFiles().slice(10, 14);
  const r = await classifyBatch(debug, 'resnet50-keras-fp16w', files);
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
  expect(await classifyBatch(debug, 'resnet50-keras-fp16w', imagenetFiles().slice(0, 9))).toBe('resnet50-keras-fp16w takes at most 8 image(s) per run, got 9');
  expect(await classifyBatch(debug, 'yolov8n-int8-640', files.slice(0, 2))).toBe('yolov8n-int8-640 takes at most 1 image(s) per run, got 2');
});
