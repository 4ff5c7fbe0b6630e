// Unit tests (pure modules, Node) and the sync-server tests (routes through the built app, PostgreSQL when
// available, child-process fault and scale-out tests). The Playwright e2e suite runs with `npm run test:e2e`.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/server/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30000,
    // Starts one throwaway PostgreSQL cluster for the server tests when initdb/pg_ctl exist.
    globalSetup: ['tests/server/global-setup.ts'],
  },
});
