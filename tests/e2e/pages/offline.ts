// The Offline view: "Make available offline", the cached files, storage and persistence, version and updates.
import { expect, type Locator, type Page } from '@playwright/test';

export class Offline {
  /** "Ready to work offline" once the service worker has cached the app. */
  readonly status: Locator;
  readonly items: Locator;
  readonly makeOfflineButton: Locator;
  readonly progress: Locator;
  readonly progressText: Locator;
  readonly note: Locator;
  readonly errors: Locator;
  readonly storageUsage: Locator;
  readonly persistButton: Locator;
  readonly persistResult: Locator;
  readonly appVersion: Locator;
  readonly checkUpdateButton: Locator;
  readonly checkResult: Locator;
  readonly iosInstructions: Locator;

  constructor(readonly page: Page) {
    const id = (t: string) => page.getByTestId(t);
    this.status = id('offline-status');
    this.items = id('offline-item');
    this.makeOfflineButton = id('make-offline');
    this.progress = id('offline-progress');
    this.progressText = id('offline-progress-text');
    this.note = id('offline-note');
    this.errors = id('offline-error');
    this.storageUsage = id('storage-usage');
    this.persistButton = id('persist');
    this.persistResult = id('persist-result');
    this.appVersion = id('app-version');
    this.checkUpdateButton = id('check-update');
    this.checkResult = id('check-result');
    this.iosInstructions = id('ios-instructions');
  }

  /** One file's row by key (a model id, faces:human-…, runtime:…); data-cached says whether it is kept. */
  item(key: string): Locator {
    return this.items.and(this.page.locator(`[data-key="${key}"]`));
  }

  async expectReady(timeout = 60_000): Promise<void> {
    await expect(this.status).toHaveText('Ready to work offline', { timeout });
  }

  async makeOffline(): Promise<void> {
    await this.makeOfflineButton.click();
  }

  async checkForUpdate(): Promise<void> {
    await this.checkUpdateButton.click();
  }
}
