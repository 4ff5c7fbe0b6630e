// People: enrolment from labelled photos, the people found, suggestions for unknown faces.
import { expect, type Locator, type Page } from '@playwright/test';
import { App, type Query } from './app.ts';

export class People {
  readonly folderInput: Locator;
  readonly report: Locator;
  readonly errors: Locator;
  readonly people: Locator;
  readonly suggestions: Locator;

  constructor(readonly page: Page) {
    const id = (t: string) => page.getByTestId(t);
    this.folderInput = id('enrol-folder-input');
    this.report = id('enrol-report');
    this.errors = id('enrol-errors').locator('li');
    this.people = id('person');
    this.suggestions = id('suggestion');
  }

  async open(query: Query = { faces: 1 }): Promise<void> {
    await new App(this.page).open('people', query);
  }

  person(name: string): Locator {
    return this.people.and(this.page.locator(`[data-name="${name}"]`));
  }

  /** Enrols a folder with one subfolder per person and waits for the report. */
  async enrolFolder(dir: string): Promise<void> {
    await this.folderInput.setInputFiles(dir);
    await expect(this.report).toBeVisible({ timeout: 90_000 });
  }

  /** Opens the People view, enrols a gallery folder and checks each person got one photo. */
  async enrol(dir: string, expected: string[]): Promise<void> {
    await this.open();
    await this.enrolFolder(dir);
    for (const n of expected) await expect(this.report).toContainText(`${n} (1)`);
    for (const n of expected) await expect(this.person(n)).toBeVisible();
  }

  async rename(from: string, to: string): Promise<void> {
    const card = this.person(from);
    await card.locator('summary').click();
    await card.getByTestId('rename-input').fill(to);
    await card.getByRole('button', { name: 'Rename' }).click();
    await expect(this.person(to)).toBeVisible();
  }

  async nameSuggestion(suggestion: Locator, name: string): Promise<void> {
    await suggestion.getByLabel('Name this person').fill(name);
    await suggestion.getByRole('button', { name: 'Name' }).click();
  }
}
