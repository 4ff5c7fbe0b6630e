// Playwright fixtures: the page objects (tests/e2e/pages/) for the test's page, its detail view, and the ?debug
// API. Specs import { test, expect } from here.
import { test as base } from '@playwright/test';
import { debugApi, type DebugApiHandle } from '../../scripts/lib/debug-api.ts';
import { sightline, type Detail, type Sightline } from './pages/index.ts';

export { expect } from '@playwright/test';

export const test = base.extend<Sightline & { detail: Detail; debug: DebugApiHandle }>({
  app: async ({ page }, use) => use(sightline(page).app),
  importPanel: async ({ page }, use) => use(sightline(page).importPanel),
  library: async ({ page }, use) => use(sightline(page).library),
  detail: async ({ library }, use) => use(library.detail),
  analytics: async ({ page }, use) => use(sightline(page).analytics),
  clusters: async ({ page }, use) => use(sightline(page).clusters),
  diagnostics: async ({ page }, use) => use(sightline(page).diagnostics),
  duplicates: async ({ page }, use) => use(sightline(page).duplicates),
  forYou: async ({ page }, use) => use(sightline(page).forYou),
  offlinePanel: async ({ page }, use) => use(sightline(page).offlinePanel),
  people: async ({ page }, use) => use(sightline(page).people),
  settings: async ({ page }, use) => use(sightline(page).settings),
  team: async ({ page }, use) => use(sightline(page).team),
  webcam: async ({ page }, use) => use(sightline(page).webcam),
  debug: async ({ page }, use) => use(debugApi(page)),
});
