// Duplicates: groups of near-duplicates (dHash), Keep / Remove.
import type { Locator, Page } from '@playwright/test';

export class Duplicates {
  readonly groups: Locator;
  readonly none: Locator;

  constructor(readonly page: Page) {
    this.groups = page.getByTestId('dup-group');
    this.none = page.getByTestId('dup-none');
  }

  /** Keeps the image named `file` in its group (the others are removed). */
  async keep(file: string): Promise<void> {
    await this.groups.locator('figure', { hasText: file }).getByTestId('dup-keep').click();
  }
}
