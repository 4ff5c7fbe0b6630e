// For you: local profiles and their recommendations.
import { expect, type Locator, type Page } from '@playwright/test';

export class ForYou {
  readonly root: Locator;
  readonly profileSelect: Locator;
  readonly recs: Locator;

  constructor(readonly page: Page) {
    const id = (t: string) => page.getByTestId(t);
    this.root = id('for-you');
    this.profileSelect = id('profile-select');
    this.recs = id('rec');
  }

  async createProfile(name: string): Promise<void> {
    await this.page.getByTestId('profile-name').fill(name);
    await this.page.getByTestId('profile-create').click();
    await expect(this.profileSelect).toHaveValue(/.+/);
  }

  async generateDemoProfiles(): Promise<void> {
    await this.page.getByTestId('profile-demo').click();
  }

  rec(name: string): Locator {
    return this.recs.and(this.page.locator(`[data-name="${name}"]`));
  }

  async recNames(): Promise<(string | null)[]> {
    return this.recs.evaluateAll((els) => els.map((e) => e.getAttribute('data-name')));
  }

  async hide(rec: Locator): Promise<void> {
    await rec.getByTestId('rec-hide').click();
  }
}
