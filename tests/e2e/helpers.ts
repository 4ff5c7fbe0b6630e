// Shared steps for browser tests: add files through the real UI, wait for the batch, read exports.
import { expect, type Page } from '@playwright/test';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

export const DATA = path.resolve(import.meta.dirname, '../../../shared/data');

export function imagenetFiles(): string[] {
  const dir = path.join(DATA, 'imagenet');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.jpg'))
    .sort()
    .map((f) => path.join(dir, f));
}

export function imagenetTruth(): Map<string, string> {
  const rows = readFileSync(path.join(DATA, 'imagenet/labels.csv'), 'utf8').trim().split('\n').slice(1);
  return new Map(rows.map((r) => [r.split(',')[0], r.split(',')[3]]));
}

/** Adds files through the file input and waits until the batch has finished. */
export async function addFiles(page: Page, files: string[], timeout = 170_000): Promise<void> {
  await page.setInputFiles('[data-testid=file-input]', files);
  await expect(page.getByTestId('batch-status')).toHaveAttribute('data-state', /done|cancelled|failed/, { timeout });
}

export async function downloadText(page: Page, testId: string): Promise<string> {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
  return readFileSync(await dl.path(), 'utf8');
}

export interface ExportedImage {
  file: string;
  sha256: string;
  width: number;
  height: number;
  classification?: { modelId: string; top5: { label: string; prob: number }[]; tag: string };
}

export async function exportJson(page: Page): Promise<{ images: ExportedImage[]; errors: { file: string; code: string; message: string }[] }> {
  return JSON.parse(await downloadText(page, 'export-json'));
}
