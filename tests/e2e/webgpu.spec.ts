import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.ts';
import { expect, test } from './fixtures.ts';
import { imagenetFiles } from './helpers.ts';

// With --enable-unsafe-webgpu Chromium offers a CPU-emulated SwiftShader adapter: slow, but it runs the real
// WebGPU code path (ORT's WebGPU build, session with the webgpu EP). Timing on it means nothing.
test.use({ launchOptions: { executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, '--enable-unsafe-webgpu'] } });

test('WebGPU path: adapter detected, WebGPU backend chosen, classification still correct', async ({ app, diagnostics, importPanel, library }) => {
  const query = { model: 'mobilenetv2-12-int8' };
  await app.open('diagnostics', query);
  await expect(diagnostics.backend).toHaveText('webgpu', { timeout: 60_000 });
  await expect(diagnostics.webgpu).not.toHaveText('none');

  await app.open(undefined, query);
  await importPanel.addFiles([imagenetFiles()[11]]);
  const { images } = await library.exportJson();
  expect(images[0].classification!.top5[0].label).toBe('beer bottle');
  expect(images[0].classification!.backend).toMatch(/^webgpu/);
});
