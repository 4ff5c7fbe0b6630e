// The architecture's boundaries (README "Architecture") as ESLint enforces them: each probe is a one-line file
// linted at a path inside a zone with the real eslint.config.js, and must be reported by the boundary rule (or,
// for the allowed twin, not at all). More probes check the type-aware promise rules on a real module.
import { ESLint, type Linter } from 'eslint';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ROOT } from './paths';

const RULE = '@typescript-eslint/no-restricted-imports';

// Boundaries need no type information: without it the probes need not exist on disk and lint fast.
const boundaries = new ESLint({
  cwd: ROOT,
  overrideConfig: {
    languageOptions: { parserOptions: { projectService: false } },
    rules: { '@typescript-eslint/no-floating-promises': 'off', '@typescript-eslint/no-misused-promises': 'off', '@typescript-eslint/await-thenable': 'off' },
  },
});

async function lint(eslint: ESLint, file: string, code: string): Promise<Linter.LintMessage[]> {
  const [r] = await eslint.lintText(code, { filePath: path.join(ROOT, file) });
  return r.messages;
}

/** [zone file, import line, a phrase of the rule's message]: each must be reported. */
const BANNED: [string, string, string][] = [
  // src/pipeline: no Dexie, ML runtimes, Svelte or UI state; src/ml values only in workers.
  ['src/pipeline/probe.ts', "import Dexie from 'dexie';", 'src/pipeline must not import Dexie'],
  ['src/pipeline/probe.ts', "import * as ort from 'onnxruntime-web';", 'src/pipeline must not import Dexie, ML runtimes'],
  ['src/pipeline/probe.ts', "import { mount } from 'svelte';", 'src/pipeline must not import Dexie, ML runtimes, comlink or Svelte'],
  ['src/pipeline/probe.ts', "import { batch } from '../ui/state/batch.svelte';", 'must not import UI state'],
  ['src/pipeline/probe.ts', "import { decodeYolo } from '../ml/yolo';", 'src/ml is worker-only'],
  ['src/pipeline/probe.ts', "import { db } from '../db/schema';", 'raw Dexie db'],
  ['src/pipeline/probe.ts', "import { seed } from '../../bench/page/analytics';", 'must not import bench'],
  ['src/pipeline/probe.ts', "import { readFileSync } from 'node:fs';", 'no Node built-ins'],
  // src/ui: no raw Dexie db, no worker clients, no ML runtimes, Dexie or comlink.
  ['src/ui/state/probe.svelte.ts', "import { db } from '../../db/schema';", 'raw Dexie db'],
  ['src/ui/state/probe.svelte.ts', "import { ImageClient } from '../../workers/image.client';", 'never a worker or its *.client owner'],
  ['src/ui/components/Probe.svelte', '<script lang="ts">import { ImageClient } from \'../../workers/image.client\';</script>', '*.client owner'],
  ['src/ui/state/probe.svelte.ts', "import Dexie from 'dexie';", 'src/ui must not import ML runtimes, Dexie or comlink'],
  ['src/ui/state/probe.svelte.ts', "import * as ort from 'onnxruntime-web';", 'src/ui must not import ML runtimes'],
  ['src/ui/state/probe.svelte.ts', "import { wrap } from 'comlink';", 'comlink'],
  ['src/ui/state/probe.svelte.ts', "import { decodeYolo } from '../../ml/yolo';", 'worker-only code'],
  ['src/ui/state/probe.svelte.ts', "import { PROTOCOL_VERSION } from '../../shared/sync';", 'import type only'],
  ['src/main.ts', "import { db } from './db/schema';", 'raw Dexie db'],
  // src/db: storage only.
  ['src/db/probe.ts', "import { Engine } from '../pipeline/engine';", 'src/db must not import app layers'],
  ['src/db/probe.ts', "import { SyncClient } from '../sync/client';", 'src/db must not import app layers'],
  ['src/db/probe.ts', "import { storageInfo } from '../pwa/storage';", 'src/db must not import app layers'],
  ['src/db/probe.ts', "import { library } from '../ui/state/library.svelte';", 'src/db must not import app layers'],
  ['src/db/probe.ts', "import { ImageClient } from '../workers/image.client';", 'src/db must not import app layers'],
  // src/ml: worker-only, and it does not import the workers.
  ['src/ml/probe.ts', "import { ImageClient } from '../workers/image.client';", 'src/ml must not import workers'],
  ['src/ml/image/probe.ts', "import { db } from '../../db/schema';", 'src/ml must not import app layers'],
  ['src/ml/probe.ts', "import Dexie from 'dexie';", 'src/ml is worker-only'],
  // Workers: the model workers have no storage; the analytics worker may read storage but has no UI.
  ['src/workers/image.worker.ts', "import { db } from '../db/schema';", 'worker code must not import app layers'],
  ['src/workers/faces.worker.ts', "import Dexie from 'dexie';", 'worker code must not touch storage'],
  ['src/workers/analytics.worker.ts', "import { library } from '../ui/state/library.svelte';", 'the analytics worker must not import UI state'],
  ['src/workers/analytics.worker.ts', "import { mount } from 'svelte';", 'no UI or ML runtimes'],
  ['src/workers/image.worker.ts', "import { ImageClient } from './image.client';", 'a worker must not own workers'],
  // Worker clients: one owner per worker, messages only.
  ['src/workers/image.client.ts', "import { decodeYolo } from '../ml/yolo';", 'a client imports its types only'],
  ['src/workers/image.client.ts', "import { api } from './image.worker';", 'never imports it'],
  ['src/workers/image.client.ts', "import { db } from '../db/schema';", 'worker clients must not import app layers'],
  // src/pwa, the service worker, src/sync, src/shared.
  ['src/pwa/probe.ts', "import { db } from '../db/schema';", 'src/pwa must not import app layers'],
  ['src/pwa/probe.ts', "import { batch } from '../ui/state/batch.svelte';", 'src/pwa must not import app layers'],
  ['src/sw.ts', "import { engine } from './ui/state/engine';", 'src/pwa must not import app layers'],
  ['src/sync/probe.ts', "import { library } from '../ui/state/library.svelte';", 'src/sync must not import app layers above it'],
  ['src/sync/probe.ts', "import Dexie from 'dexie';", 'src/sync talks to src/db'],
  ['src/shared/probe.ts', "import { db } from '../db/schema';", 'src/shared must not depend on app layers'],
  ['src/shared/probe.ts', "import Dexie from 'dexie';", 'pure types and logic'],
  ['src/shared/probe.ts', "import { readFileSync } from 'node:fs';", 'no Node built-ins'],
  // src/debug may load bench/page only.
  ['src/debug/probe.ts', "import { stats } from '../../bench/lib/stats';", 'bench/page/ only'],
  // The Node side: scripts, bench, e2e tests import types from the app, never its modules.
  ['scripts/probe.ts', "import { db } from '../src/db/schema.ts';", 'scripts may import types from src'],
  ['scripts/lib/probe.ts', "import { installDebugApi } from '../../src/debug/install.ts';", 'scripts may import types from src'],
  ['scripts/probe.ts', "import { benchFaces } from '../bench/lib/faces.ts';", 'bench builds on scripts'],
  ['bench/lib/probe.ts', "import { seed } from '../page/analytics.ts';", 'import its types only'],
  ['bench/lib/probe.ts', "import { engine } from '../../src/ui/state/engine.ts';", 'the bench runs the app in a browser'],
  ['bench/probe.ts', "import Dexie from 'dexie';", 'no browser libraries'],
  ['bench/page/probe.ts', "import { batch } from '../../src/ui/state/batch.svelte';", 'bench/page must not import UI state'],
  ['bench/page/probe.ts', "import { readFileSync } from 'node:fs';", 'no Node code'],
  ['tests/e2e/probe.spec.ts', "import { clearLibrary } from '../../src/db/queries';", 'e2e tests drive the app in the browser'],
  ['tests/e2e/probe.spec.ts', "import { analytics } from '../../bench/page/analytics.ts';", 'bench/page runs in the page'],
  ['tests/unit/probe.test.ts', "import { test } from '@playwright/test';", 'browser tests live in tests/e2e'],
  ['tests/unit/probe.test.ts', "import { batch } from '../../src/ui/state/batch.svelte';", 'src/ui needs the Svelte compiler'],
  ['tests/server/probe.test.ts', "import { Engine } from '../../src/pipeline/engine';", 'server tests may import'],
  ['sync-server/src/probe.ts', "import { db } from '../../src/db/schema';", 'sync-server may import src/shared only'],
  ['sync-server/src/probe.ts', "import Dexie from 'dexie';", 'no browser libraries'],
];

/** The allowed twin of a rule: must pass. */
const ALLOWED: [string, string][] = [
  ['src/pipeline/probe.ts', "import type { YoloOptions } from '../ml/yolo';"],
  ['src/pipeline/probe.ts', "import { ImageClient } from '../workers/image.client';"],
  ['src/pipeline/probe.ts', "import { listLibrary } from '../db/queries';"],
  ['src/ui/state/probe.svelte.ts', "import type { SyncRecord } from '../../shared/sync';"],
  ['src/ui/state/probe.svelte.ts', "import { listLibrary } from '../../db/queries';"],
  ['src/workers/analytics.worker.ts', "import { db } from '../db/schema';"],
  ['src/workers/api.ts', "import type { Geometry } from '../ml/preprocess';"],
  ['src/ml/probe.ts', "import type { Outcome } from '../workers/api';"],
  ['src/debug/probe.ts', "import { pageBench } from '../../bench/page/index';"],
  ['scripts/lib/probe.ts', "import type { DebugApi } from '../../src/debug/api.ts';"],
  ['scripts/probe.ts', "import { findModel } from '../src/shared/manifest.ts';"],
  ['bench/lib/probe.ts', "import type { Seeded } from '../page/analytics.ts';"],
  ['bench/probe.ts', "import { kmeans } from '../src/ml/analytics/vectors.ts';"],
  ['bench/page/probe.ts', "import { db } from '../../src/db/schema';"],
  ['tests/e2e/probe.spec.ts', "import type { MethodFigures } from '../../bench/page/faces.ts';"],
  ['tests/unit/probe.test.ts', "import { listLibrary } from '../../src/db/queries';"],
  ['tests/server/probe.test.ts', "import { SyncClient } from '../../src/sync/client';"],
];

describe('ESLint boundary zones (the real eslint.config.js)', () => {
  it.each(BANNED)('%s: %s is reported', async (file, code, phrase) => {
    const messages = await lint(boundaries, file, `${code}\n`);
    expect(
      messages.map((m) => m.ruleId),
      messages.map((m) => m.message).join('; '),
    ).toContain(RULE);
    expect(messages.find((m) => m.ruleId === RULE)!.message).toContain(phrase);
  });

  it.each(ALLOWED)('%s: %s is allowed', async (file, code) => {
    const messages = await lint(boundaries, file, `${code}\n`);
    expect(messages.filter((m) => m.ruleId === RULE)).toEqual([]);
  });

  it('a real module of each zone lints clean', async () => {
    for (const file of [
      'src/pipeline/engine.ts',
      'src/ui/state/library.svelte.ts',
      'src/db/queries.ts',
      'src/workers/analytics.worker.ts',
      'bench/lib/analytics.ts',
    ]) {
      const messages = await lint(boundaries, file, readFileSync(path.join(ROOT, file), 'utf8'));
      expect(messages, `${file}: ${messages.map((m) => `${m.ruleId}: ${m.message}`).join('; ')}`).toEqual([]);
    }
  });
});

describe('e2e specs use the page objects', () => {
  const SPEC = 'tests/e2e/probe.spec.ts';
  it.each([
    ["await page.getByTestId('batch-status').click();", 'raw test id lookup'],
    ["await page.locator('[data-testid=library-item]').click();", 'test id in a selector'],
    ['await page.locator(`[data-testid=rec][data-name="${name}"]`).click();', 'test id in a template'],
    ["import { test } from '@playwright/test';", 'Playwright test without the fixtures'],
  ])('%s is reported (%s)', async (code) => {
    const messages = await lint(boundaries, SPEC, `const page = {} as never; const name = '';\n${code}\nexport {};\n`);
    expect(messages.map((m) => m.ruleId)).toContain('no-restricted-syntax');
  });

  it('the page objects themselves may use test ids', async () => {
    const messages = await lint(boundaries, 'tests/e2e/pages/probe.ts', "const page = {} as never;\nexport const x = page.getByTestId('batch-status');\n");
    expect(messages.filter((m) => m.ruleId === 'no-restricted-syntax')).toEqual([]);
  });
});

describe('type-aware promise rules', () => {
  // Linted as src/pipeline/similar.ts (a real file in the app's TypeScript project), with the probe's text.
  const typed = new ESLint({ cwd: ROOT });
  const at = 'src/pipeline/similar.ts';

  it('a promise nobody awaits or handles is reported; an awaited or caught one is not', { timeout: 180_000 }, async () => {
    const floating = await lint(typed, at, 'async function save(): Promise<void> {}\nexport function run(): void {\n  save();\n}\n');
    expect(floating.map((m) => m.ruleId)).toEqual(['@typescript-eslint/no-floating-promises']);
    const handled = await lint(
      typed,
      at,
      'async function save(): Promise<void> {}\nexport async function run(): Promise<void> {\n  await save();\n  save().catch(console.error);\n}\n',
    );
    expect(handled).toEqual([]);
  });

  it('awaiting what is not a promise is reported', { timeout: 180_000 }, async () => {
    const messages = await lint(typed, at, 'export async function run(n: number): Promise<number> {\n  return await n;\n}\n');
    expect(messages.map((m) => m.ruleId)).toEqual(['@typescript-eslint/await-thenable']);
  });

  it('a promise where a plain value is expected is reported', { timeout: 180_000 }, async () => {
    const misused = await lint(
      typed,
      at,
      'export function run(xs: number[], ok: Promise<boolean>): void {\n  xs.forEach(async () => {});\n  if (ok) xs.pop();\n}\n',
    );
    expect(misused.map((m) => m.ruleId)).toEqual(['@typescript-eslint/no-misused-promises', '@typescript-eslint/no-misused-promises']);
  });
});
