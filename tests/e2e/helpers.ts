// Test data for the browser tests (the steps through the UI are the page objects in pages/).
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
