// Shared locations for the unit tests. Test data lives outside the repository and is only read.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ModelManifest } from '../../src/shared/manifest';
import type { ContentRules } from '../../src/shared/rules';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const DATA = path.resolve(ROOT, '../shared/data');

export const readJson = <T>(rel: string): T => JSON.parse(readFileSync(path.join(ROOT, rel), 'utf8')) as T;

/** A fresh copy each call, so a test may break it without affecting the others. */
export const loadManifest = () => readJson<ModelManifest>('models/manifest.json');
export const loadRules = () => readJson<ContentRules>('src/shared/content-rules.json');
