import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';

// 1,000 distinct small images made here (24-bit BMP, which Chromium decodes), no files on disk.
function bmp(i: number, size = 48): Buffer {
  const row = Math.ceil((size * 3) / 4) * 4;
  const buf = Buffer.alloc(54 + row * size);
  buf.write('BM', 0);
  buf.writeUInt32LE(buf.length, 2);
  buf.writeUInt32LE(54, 10);
  buf.writeUInt32LE(40, 14);
  buf.writeInt32LE(size, 18);
  buf.writeInt32LE(size, 22);
  buf.writeUInt16LE(1, 26);
  buf.writeUInt16LE(24, 28);
  buf.writeUInt32LE(row * size, 34);
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      const o = 54 + y * row + x * 3;
      buf[o] = (x * 5 + i) & 255;
      buf[o + 1] = (y * 5 + (i >> 8)) & 255;
      buf[o + 2] = ((x ^ y) * 3 + i * 7) & 255;
    }
  return buf;
}

async function heapMB(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('Performance.enable');
  const { metrics } = await cdp.send('Performance.getMetrics');
  await cdp.detach();
  return metrics.find((m) => m.name === 'JSHeapUsedSize')!.value / 1048576;
}

test('a 1,000-file synthetic batch completes and the tab heap stays bounded', async ({ page, app, importPanel, library }) => {
  test.setTimeout(600_000);
  await app.open(undefined, { model: 'mobilenetv2-12-int8' });
  const files = Array.from({ length: 1000 }, (_, i) => ({ name: `synthetic-${String(i).padStart(4, '0')}.bmp`, mimeType: 'image/bmp', buffer: bmp(i) }));
  await importPanel.start(files);
  await importPanel.expectStatus(/\b[5-9]\d stored/, 120_000);
  const warm = await heapMB(page);
  await importPanel.expectState('done', 540_000);
  await importPanel.expectStatus('1000 stored · 0 failed');
  await library.expectCount(1000);
  const end = await heapMB(page);
  console.log(`page JS heap after ~50 images ${warm.toFixed(1)} MB, after 1,000 ${end.toFixed(1)} MB (growth ${(end - warm).toFixed(1)} MB)`);
  // The library keeps one small record per image in memory (labels, no pixels): a few KB each at most.
  expect(end - warm).toBeLessThan(40);
  // The grid renders a page at a time.
  await expect(library.items).toHaveCount(200);
  await expect(library.showMore).toBeVisible();
});
