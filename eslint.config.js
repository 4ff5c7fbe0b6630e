// Lint, including the architecture's import boundaries (README "Architecture"; tests/unit/lint-boundaries.test.ts
// lints a probe per rule) and type-aware rules for promises.
import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';

const BROWSER_LIBS = ['onnxruntime-web', 'dexie', 'comlink', 'svelte', '@vladmandic/human'];
/** An app layer, however deep the importing file is (`../ui/x`, `../../src/ui/x`). */
const layer = (name) => [`**/${name}/**`, `${name}/**`];
const file = (glob) => [glob, `${glob}.*`];

/** What a zone may not import: packages (`paths`) and module patterns (gitignore syntax), each with why. */
const banned = (names, why) => names.map((name) => ({ name, message: why }));
const group = (globs, why, typesOk = false) => ({ group: globs.flat(), message: why, ...(typesOk ? { allowTypeImports: true } : {}) });

/**
 * One zone: the files and what they may not import. Zones must not overlap (a later config object would replace
 * an earlier one's options for the same rule), so narrower zones are cut out of wider ones with `ignores`.
 */
const zone = (files, { ignores = [], paths = [], patterns = [] }) => ({
  files,
  ignores,
  rules: { '@typescript-eslint/no-restricted-imports': ['error', { paths, patterns }] },
});

/** Every browser-side zone under src/: Node, bench and test code stay out of the app bundle. */
const SRC_COMMON = [
  group([...layer('bench'), ...layer('scripts'), ...layer('tests'), ...layer('sync-server')], 'app code must not import bench, scripts, tests or the server.'),
  group(['node:*'], 'app code runs in the browser: no Node built-ins.'),
];
// The sync schemas are TypeBox values: the app takes their types only, so TypeBox stays out of its bundle.
const SYNC_TYPES_ONLY = group([file('**/shared/sync')], 'import type only; runtime constants are in shared/sync-constants.', true);
const APP = SRC_COMMON.concat(SYNC_TYPES_ONLY);

const NODE_SIDE = banned(BROWSER_LIBS, 'Node-side code drives the app in a browser: no browser libraries.');
const appLayersTypesOnly = (why, names = ['ui', 'db', 'pipeline', 'workers', 'sync', 'pwa', 'debug', 'ml']) =>
  group(
    names.map((n) => [`**/src/${n}/**`, `src/${n}/**`]),
    why,
    true,
  );

const zones = [
  // Views and their small state classes talk to src/pipeline (the engine) and the src/db queries only.
  zone(['src/ui/**', 'src/main.ts'], {
    paths: banned(
      ['onnxruntime-web', 'dexie', 'comlink', '@vladmandic/human'],
      'src/ui must not import ML runtimes, Dexie or comlink: go through src/pipeline or src/db.',
    ),
    patterns: [
      group(['onnxruntime-web/*', 'dexie/*', '@vladmandic/human/*'], 'src/ui must not import ML runtimes or Dexie.'),
      group(layer('ml'), 'src/ui must not import worker-only code (src/ml).'),
      group(
        [file('**/workers/*.worker'), file('**/workers/*.client'), file('**/workers/owner')],
        'src/ui reaches workers through src/pipeline (the engine), never a worker or its *.client owner.',
      ),
      group([file('**/db/schema')], 'src/ui must not use the raw Dexie db: use the queries in src/db.'),
      group(layer('debug'), 'src/ui must not depend on the ?debug API.'),
      ...APP,
    ],
  }),
  // The stage table and runner: workers through their *.client owners, storage through src/db queries.
  zone(['src/pipeline/**'], {
    paths: banned(BROWSER_LIBS, 'src/pipeline must not import Dexie, ML runtimes, comlink or Svelte: workers through their *.client, storage through src/db.'),
    patterns: [
      group(['svelte/*', 'onnxruntime-web/*', 'dexie/*'], 'src/pipeline must not import Svelte, ML runtimes or Dexie.'),
      group(layer('ui'), 'src/pipeline must not import UI state (src/ui): the UI calls the pipeline, not the reverse.'),
      group(layer('ml'), 'src/ml is worker-only: import its types, or move shared values to src/shared.', true),
      group([file('**/workers/*.worker')], 'src/pipeline talks to workers through their *.client owners.'),
      group([file('**/db/schema')], 'src/pipeline must not use the raw Dexie db: add a query to src/db.'),
      group(layer('debug'), 'src/pipeline must not depend on the ?debug API.'),
      ...APP,
    ],
  }),
  // Storage only: the Dexie schema and every query.
  zone(['src/db/**'], {
    paths: banned(['onnxruntime-web', 'comlink', 'svelte', '@vladmandic/human'], 'src/db is storage only.'),
    patterns: [
      group(
        ['ui', 'workers', 'ml', 'pipeline', 'sync', 'pwa', 'debug'].map((n) => layer(n)),
        'src/db must not import app layers above it (ui, workers, ml, pipeline, sync, pwa).',
      ),
      ...APP,
    ],
  }),
  // Worker-only model code: no storage, no UI, and no workers (the worker imports ml, not the reverse).
  zone(['src/ml/**'], {
    paths: banned(['dexie', 'svelte', 'comlink'], 'src/ml is worker-only model code: no storage, UI or messaging.'),
    patterns: [
      group(
        ['ui', 'db', 'pipeline', 'sync', 'pwa', 'debug'].map((n) => layer(n)),
        'src/ml must not import app layers.',
      ),
      group(layer('workers'), 'src/ml must not import workers (their typed contracts, as types, are fine).', true),
      ...APP,
    ],
  }),
  // The model workers: no storage, no UI, no app layers.
  zone(['src/workers/*.worker.ts'], {
    ignores: ['src/workers/analytics.worker.ts'],
    paths: banned(['dexie', 'svelte'], 'worker code must not touch storage or UI.'),
    patterns: [
      group(
        ['ui', 'db', 'pipeline', 'sync', 'pwa', 'debug'].map((n) => layer(n)),
        'worker code must not import app layers.',
      ),
      group([file('**/workers/*.client'), file('**/workers/owner'), file('./*.client'), file('./owner')], 'a worker must not own workers.'),
      ...APP,
    ],
  }),
  // The analytics worker reads IndexedDB itself (aggregations over 100k records stay off the main thread), but no UI.
  zone(['src/workers/analytics.worker.ts'], {
    paths: banned(['svelte', 'onnxruntime-web', '@vladmandic/human'], 'the analytics worker reads storage and computes; no UI or ML runtimes.'),
    patterns: [
      group(
        ['ui', 'pipeline', 'sync', 'pwa', 'debug'].map((n) => layer(n)),
        'the analytics worker must not import UI state or app layers above src/db.',
      ),
      group([file('**/workers/*.client'), file('**/workers/owner'), file('./*.client'), file('./owner')], 'a worker must not own workers.'),
      ...APP,
    ],
  }),
  // The *.client owners, owner.ts and the typed contracts: one owner per worker, messages only.
  zone(['src/workers/**'], {
    ignores: ['src/workers/*.worker.ts'],
    paths: banned(['dexie', 'svelte', 'onnxruntime-web', '@vladmandic/human'], 'a worker client only owns its worker: no storage, UI or ML runtimes.'),
    patterns: [
      group(
        ['ui', 'db', 'pipeline', 'sync', 'pwa', 'debug'].map((n) => layer(n)),
        'worker clients must not import app layers.',
      ),
      group(layer('ml'), 'src/ml runs in the worker: a client imports its types only.', true),
      group([file('**/workers/*.worker'), file('./*.worker')], 'a client starts its worker with new Worker(new URL(...)), never imports it.'),
      ...APP,
    ],
  }),
  // Service worker registration, offline models, storage care; the service worker itself.
  zone(['src/pwa/**', 'src/sw.ts'], {
    paths: banned(BROWSER_LIBS, 'src/pwa and the service worker use the platform and Workbox only.'),
    patterns: [
      group(
        ['ui', 'db', 'pipeline', 'workers', 'ml', 'sync', 'debug'].map((n) => layer(n)),
        'src/pwa must not import app layers (the UI uses src/pwa, not the reverse).',
      ),
      ...APP,
    ],
  }),
  // Team sync client: storage through src/db, HTTP, no UI and no ML.
  zone(['src/sync/**'], {
    paths: banned(BROWSER_LIBS, 'src/sync talks to src/db and the server only.'),
    patterns: [
      group(
        ['ui', 'workers', 'ml', 'pipeline', 'pwa', 'debug'].map((n) => layer(n)),
        'src/sync must not import app layers above it.',
      ),
      ...APP,
    ],
  }),
  // Pure code shared by app, workers, scripts and server.
  zone(['src/shared/**'], {
    paths: banned([...BROWSER_LIBS, 'workbox-window'], 'src/shared holds pure types and logic only.'),
    patterns: [
      group(
        ['ui', 'db', 'workers', 'ml', 'pipeline', 'sync', 'pwa', 'debug'].map((n) => layer(n)),
        'src/shared must not depend on app layers.',
      ),
      ...SRC_COMMON,
    ],
  }),
  // The ?debug API: may reach any app module, and load the bench code that runs in the page, nothing else.
  zone(['src/debug/**'], {
    paths: banned(['onnxruntime-web', 'dexie', 'comlink', '@vladmandic/human'], 'src/debug goes through the app modules.'),
    patterns: [
      // One level below bench/ is banned except page/ (gitignore cannot re-include below an excluded folder).
      group(['**/bench/*', 'bench/*', '!**/bench/page', '!bench/page'], 'src/debug may load bench/page/ only (the bench code that runs in the page).'),
      group([...layer('scripts'), ...layer('tests'), ...layer('sync-server')], 'app code must not import scripts, tests or the server.'),
      group(['node:*'], 'app code runs in the browser: no Node built-ins.'),
      group([file('**/workers/*.worker')], 'workers are started by their *.client owners.'),
      SYNC_TYPES_ONLY,
    ],
  }),
  // The server shares only the protocol and pure helpers with the app.
  zone(['sync-server/**'], {
    paths: banned(BROWSER_LIBS, 'sync-server runs in Node: no browser libraries.'),
    patterns: [
      group(
        ['ui', 'db', 'sync', 'workers', 'ml', 'pipeline', 'pwa', 'debug'].map((n) => [`**/src/${n}/**`]),
        'sync-server may import src/shared only.',
      ),
      group([...layer('bench'), ...layer('tests'), ...layer('scripts')], 'the server must not depend on bench, tests or scripts.'),
    ],
  }),
  // Node scripts drive the built app in Chromium: types from src (the ?debug API), code from src/shared only.
  zone(['scripts/**'], {
    paths: NODE_SIDE,
    patterns: [
      appLayersTypesOnly('scripts may import types from src (the ?debug API), and code from src/shared only: they drive the built app in a browser.'),
      group(layer('bench'), 'bench builds on scripts, not the reverse.'),
    ],
  }),
  // The bench's Node side: types from the app, pure src/shared and src/ml code for the Node baselines.
  zone(['bench/**'], {
    ignores: ['bench/page/**'],
    paths: NODE_SIDE,
    patterns: [
      appLayersTypesOnly('the bench runs the app in a browser: import types from src, and pure code from src/shared or src/ml only.', [
        'ui',
        'db',
        'pipeline',
        'workers',
        'sync',
        'pwa',
        'debug',
      ]),
      group(['**/page/**', 'page/**'], 'bench/page runs in the page (loaded by the ?debug API): import its types only.', true),
    ],
  }),
  // Bench code that runs in the page: drives src/pipeline and src/db like the views do, never UI state.
  zone(['bench/page/**'], {
    paths: banned(BROWSER_LIBS, 'bench/page uses the app modules, not the libraries behind them.'),
    patterns: [
      group(layer('ui'), 'bench/page must not import UI state (src/ui).'),
      group(layer('ml'), 'src/ml is worker-only: import its types.', true),
      group(['node:*', ...layer('scripts'), ...layer('lib')], 'bench/page runs in the browser: no Node code.'),
    ],
  }),
  // Browser tests drive the app through the page: types from src, code from src/shared only.
  zone(['tests/e2e/**'], {
    paths: NODE_SIDE,
    patterns: [
      appLayersTypesOnly('e2e tests drive the app in the browser: import types from src, and code from src/shared only.'),
      group(['**/bench/page/**'], 'bench/page runs in the page: import its types only.', true),
    ],
  }),
  // Unit tests: pure modules in Node (Svelte state and Playwright belong to e2e).
  zone(['tests/unit/**'], {
    paths: banned(['@playwright/test', 'svelte'], 'browser tests live in tests/e2e.'),
    patterns: [
      group(layer('ui'), 'src/ui needs the Svelte compiler and a browser: test it in tests/e2e.'),
      group(layer('e2e'), 'unit tests must not import e2e code.'),
    ],
  }),
  // Server tests: the server, the protocol and the sync client.
  zone(['tests/server/**'], {
    paths: banned(['@playwright/test', 'svelte', 'onnxruntime-web', 'comlink', '@vladmandic/human'], 'server tests run in Node against the server.'),
    patterns: [
      group(
        ['ui', 'pipeline', 'workers', 'ml', 'pwa', 'debug'].map((n) => [`**/src/${n}/**`]),
        'server tests may import the server, src/shared, src/sync and src/db only.',
      ),
    ],
  }),
];

export default ts.config(
  { ignores: ['dist/', 'node_modules/', 'models/files/', 'test-results/', 'playwright-report/', 'bench/results/', 'tests/tmp/', '.sightline-data/'] },
  js.configs.recommended,
  ...ts.configs.recommended,
  ...svelte.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      // Flags local Maps built inside $derived as if they were state: our state is $state fields only.
      'svelte/prefer-svelte-reactivity': 'off',
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: ts.parser, extraFileExtensions: ['.svelte'] } },
  },
  // Type-aware: promises nobody awaits or catches (a failure vanishes; an un-awaited expect() cannot fail a test),
  // promises where a plain value is expected (an async callback whose rejection nobody sees, a promise as a
  // condition), and awaiting what is not a promise.
  {
    files: ['**/*.ts', '**/*.svelte'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname, extraFileExtensions: ['.svelte'] } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
    },
  },
  ...zones,
  {
    // Specs speak the test vocabulary: test ids live in the page objects (tests/e2e/pages/) only.
    files: ['tests/e2e/**/*.spec.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        ...["CallExpression[callee.property.name='getByTestId']", 'Literal[value=/data-testid/]', 'TemplateElement[value.raw=/data-testid/]'].map(
          (selector) => ({ selector, message: 'use the page objects in tests/e2e/pages/ (fixtures.ts), not raw test ids.' }),
        ),
        {
          selector: "ImportDeclaration[source.value='@playwright/test'] > ImportSpecifier[imported.name='test']",
          message: "import { test, expect } from './fixtures.ts': the page objects come as fixtures.",
        },
      ],
    },
  },
);
