// The test vocabulary's entry points: the app's views by their hash, its header and notices, downloads.
import { expect, type Download, type Locator, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';

export type View = 'library' | 'for-you' | 'people' | 'webcam' | 'analytics' | 'clusters' | 'duplicates' | 'settings' | 'team' | 'offline' | 'diagnostics';

/** Query parameters the app reads (`debug`, `model`, `detector`, `faces`, `backend`, …); '' for a bare flag. */
export type Query = Record<string, string | number | boolean>;

export function queryString(q: Query = {}): string {
  const parts = Object.entries(q).map(([k, v]) => (v === '' || v === true ? k : `${k}=${encodeURIComponent(String(v))}`));
  return parts.length ? `?${parts.join('&')}` : '';
}

/** Something the page downloads when `click` runs: its path and text. */
export async function download(page: Page, click: () => Promise<void>): Promise<{ download: Download; path: string; text: () => string }> {
  const [dl] = await Promise.all([page.waitForEvent('download'), click()]);
  const file = await dl.path();
  return { download: dl, path: file, text: () => readFileSync(file, 'utf8') };
}

export class App {
  /** Online / Offline in the header; data-offline-ready once the service worker has cached the app. */
  readonly netStatus: Locator;
  /** "Ready to work offline" after the first visit. */
  readonly ready: Locator;
  readonly install: Locator;
  readonly installNotice: Locator;
  readonly installIos: Locator;
  readonly iosInstall: Locator;
  readonly updateBanner: Locator;
  readonly updateReload: Locator;
  /** What happened to images shared to (or opened with) the app. */
  readonly sharedNote: Locator;

  /** `base`: the server's origin when it is not Playwright's baseURL (a sync or PWA test server). */
  constructor(
    readonly page: Page,
    readonly base = '',
  ) {
    const id = (t: string) => page.getByTestId(t);
    this.netStatus = id('net-status');
    this.ready = id('pwa-ready');
    this.install = id('install');
    this.installNotice = id('install-notice');
    this.installIos = id('install-ios');
    this.iosInstall = id('ios-install');
    this.updateBanner = id('update-banner');
    this.updateReload = id('update-reload');
    this.sharedNote = id('shared-note');
  }

  /** Loads the app at a view (a full page load; the hash alone changes the view without one: see show()). */
  async open(view?: View, query: Query = {}): Promise<void> {
    await this.page.goto(`${this.base}/${queryString(query)}${view ? `#${view}` : ''}`);
  }

  /** Switches view in the same document, as the nav links do. */
  async show(view: View): Promise<void> {
    await this.page.evaluate((v) => (location.hash = v), view);
    await expect(this.page).toHaveURL(new RegExp(`#${view}$`));
  }

  async expectOfflineReady(timeout?: number): Promise<void> {
    await expect(this.netStatus).toHaveAttribute('data-offline-ready', 'true', { timeout });
  }
}
