import { expect, test } from '@playwright/test';
import { debugApi } from '../../scripts/lib/debug-api.ts';
import { addFiles, imagenetFiles } from './helpers.ts';

test('diagnostics: cross-origin isolated, WASM with 2 threads, model table', async ({ page }) => {
  await page.goto('/#diagnostics');
  await expect(page.getByTestId('diag-coi')).toHaveText('true');
  await expect(page.getByTestId('diag-backend')).toHaveText('wasm');
  await expect(page.getByTestId('diag-threads')).toContainText('2');
  await expect(page.getByTestId('diag-webgpu')).toHaveText('none');
  await expect(page.getByTestId('diag-models')).toContainText('resnet50-keras-fp16w');
  await expect(page.getByTestId('diag-storage')).toContainText('images');
});

test('a crashed inference or image worker is restarted and the next batch works', async ({ page }) => {
  await page.goto('/?debug');
  await addFiles(page, imagenetFiles().slice(0, 1));
  const api = debugApi(page);
  await api.run((a) => a.crash('inference'));
  await api.run((a) => a.crash('image'));
  await page.waitForTimeout(500);
  await addFiles(page, imagenetFiles().slice(1, 3));
  await expect(page.getByTestId('batch-status')).toContainText('2 stored · 0 failed');
  await page.goto('/?debug#diagnostics');
  await expect(page.getByTestId('library-count').or(page.getByTestId('diag-storage'))).toContainText('3 images');
});

test('cancel stops a running batch and keeps what was stored', async ({ page }) => {
  await page.goto('/?model=resnet50-keras-fp32');
  await page.setInputFiles('[data-testid=file-input]', imagenetFiles());
  await expect(page.getByTestId('batch-status')).toContainText(/[1-9] stored/, { timeout: 120_000 });
  await page.getByTestId('cancel').click();
  await expect(page.getByTestId('batch-status')).toHaveAttribute('data-state', 'cancelled');
  const stored = Number((await page.getByTestId('library-count').textContent()) ?? '0');
  expect(stored).toBeGreaterThan(0);
  expect(stored).toBeLessThan(25);
  await page.reload();
  await expect(page.getByTestId('library-count')).toHaveText(String(stored));
});
