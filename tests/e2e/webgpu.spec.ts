import { expect, test } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.ts';
import { addFiles, exportJson, imagenetFiles } from './helpers.ts';

// With --enable-unsafe-webgpu Chromium offers a CPU-emulated SwiftShader adapter: slow, but it runs the real
// WebGPU code path (ORT's WebGPU build, session with the webgpu EP). Timing on it means nothing.
test.use({ launchOptions: { executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, '--enable-unsafe-webgpu'] } });

test('WebGPU path: adapter detected, WebGPU backend chosen, classification still correct', async ({ page }) => {
  await page.goto('/?model=mobilenetv2-12-int8#diagnostics');
  await expect(page.getByTestId('diag-backend')).toHaveText('webgpu', { timeout: 60_000 });
  await expect(page.getByTestId('diag-webgpu')).not.toHaveText('none');

  await page.goto('/?model=mobilenetv2-12-int8');
  await addFiles(page, [imagenetFiles()[11]]);
  const { images } = await exportJson(page);
  expect(images[0].classification!.top5[0].label).toBe('beer bottle');
  expect((images[0].classification as unknown as { backend: string }).backend).toMatch(/^webgpu/);
});
