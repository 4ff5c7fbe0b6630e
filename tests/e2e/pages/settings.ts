// Settings: the content rules editor, and backup / restore.
import { expect, type Locator, type Page } from '@playwright/test';
import type { ContentRules } from '../../../src/shared/rules.ts';
import { download } from './app.ts';

export class Settings {
  readonly rulesEditor: Locator;
  readonly rulesSaved: Locator;
  readonly rulesErrors: Locator;
  readonly backupMessage: Locator;

  constructor(readonly page: Page) {
    const id = (t: string) => page.getByTestId(t);
    this.rulesEditor = id('rules-editor');
    this.rulesSaved = id('rules-saved');
    this.rulesErrors = id('rules-errors');
    this.backupMessage = id('backup-message');
  }

  async rules(): Promise<ContentRules> {
    return JSON.parse(await this.rulesEditor.inputValue()) as ContentRules;
  }

  /** Saves rules (an object, or any text: it is validated by the app). */
  async saveRules(rules: ContentRules | string): Promise<void> {
    await this.rulesEditor.fill(typeof rules === 'string' ? rules : JSON.stringify(rules));
    await this.page.getByTestId('rules-save').click();
  }

  async resetRules(): Promise<void> {
    await this.page.getByTestId('rules-reset').click();
  }

  /** Downloads a backup; returns its path. */
  async exportBackup(): Promise<string> {
    return (await download(this.page, () => this.page.getByTestId('backup-export').click())).path;
  }

  async importBackup(file: string): Promise<void> {
    await this.page.getByTestId('backup-import').setInputFiles(file);
  }

  async expectBackupMessage(text: string | RegExp): Promise<void> {
    await expect(this.backupMessage).toContainText(text);
  }
}
