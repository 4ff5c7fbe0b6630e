// Lint, including the architecture's import boundaries (see README "Architecture").
import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';

const banned = (names, why) => names.map((name) => ({ name, message: why }));
const bannedPatterns = (group, why) => [{ group, message: why }];

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
  {
    // The sync schemas are TypeBox values: the app takes their types only, so TypeBox stays out of its bundle.
    files: ['src/ui/**', 'src/sync/**', 'src/db/**', 'src/pipeline/**', 'src/workers/**', 'src/main.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/shared/sync'], allowTypeImports: true, message: 'import type only; runtime constants are in shared/sync-constants.' }] },
      ],
    },
  },
  {
    // Views talk to the engine and queries, never to the heavy libraries directly.
    files: ['src/ui/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: banned(
            ['onnxruntime-web', 'dexie', 'comlink', '@vladmandic/human'],
            'src/ui must not import ML runtimes, Dexie or comlink: go through src/pipeline or src/db.',
          ),
          patterns: bannedPatterns(['onnxruntime-web/*', '**/ml/**', '**/workers/*.worker'], 'src/ui must not import worker-only code.'),
        },
      ],
    },
  },
  {
    // Pure code shared by app, workers and server.
    files: ['src/shared/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: banned(['onnxruntime-web', 'dexie', 'comlink', 'svelte', '@vladmandic/human'], 'src/shared holds pure types and logic only.'),
          patterns: bannedPatterns(['**/ui/**', '**/db/**', '**/workers/**', '**/ml/**', '**/pipeline/**'], 'src/shared must not depend on app layers.'),
        },
      ],
    },
  },
  {
    // Worker-only model code: no storage, no UI.
    files: ['src/ml/**', 'src/workers/*.worker.ts'],
    // The analytics worker reads IndexedDB itself: aggregations over 100k records stay off the main thread.
    ignores: ['src/workers/analytics.worker.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: banned(['dexie', 'svelte'], 'worker code must not touch storage or UI.'),
          patterns: bannedPatterns(['**/ui/**', '**/db/**', '**/pipeline/**'], 'worker code must not import app layers.'),
        },
      ],
    },
  },
  {
    // Team sync client: storage through src/db, HTTP, no UI and no ML.
    files: ['src/sync/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: banned(['onnxruntime-web', 'comlink', 'svelte', '@vladmandic/human'], 'src/sync talks to src/db and the server only.'),
          patterns: bannedPatterns(['**/ui/**', '**/workers/**', '**/ml/**', '**/pipeline/**'], 'src/sync must not import app layers above it.'),
        },
      ],
    },
  },
  {
    // The server shares only the protocol and pure helpers with the app.
    files: ['sync-server/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: banned(['onnxruntime-web', 'dexie', 'comlink', 'svelte'], 'sync-server runs in Node: no browser libraries.'),
          patterns: bannedPatterns(
            ['**/src/ui/**', '**/src/db/**', '**/src/sync/**', '**/src/workers/**', '**/src/ml/**', '**/src/pipeline/**'],
            'sync-server may import src/shared only.',
          ),
        },
      ],
    },
  },
  {
    files: ['src/db/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: banned(['onnxruntime-web', 'comlink', 'svelte'], 'src/db is storage only.'),
          patterns: bannedPatterns(['**/ui/**', '**/workers/**', '**/ml/**'], 'src/db must not import app layers.'),
        },
      ],
    },
  },
);
