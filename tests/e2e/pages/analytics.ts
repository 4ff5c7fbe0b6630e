// The Analytics view: its total, filters and charts (each with a text twin, bar picks and CSV/PNG export).
import { expect, type Locator, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { download } from './app.ts';

export class Chart {
  readonly canvas: Locator;
  /** The chart's text alternative: "Title: label: n, …" in aria-label. */
  readonly figure: Locator;

  constructor(
    readonly page: Page,
    readonly root: Locator,
    private readonly testid: string,
  ) {
    this.canvas = root.locator('canvas');
    this.figure = root.locator('[role=img]');
  }

  /** The keyboard twins of the bars ("Open images for…"), shown after expanding them. */
  picks(text?: string | RegExp): Locator {
    const all = this.page.getByTestId(`${this.testid}-pick`);
    return text === undefined ? all : all.filter({ hasText: text });
  }

  /** Opens the library filtered to one bar's images, through the bar's keyboard twin. */
  async pick(text: string | RegExp): Promise<void> {
    await this.root.locator('summary').click();
    await this.picks(text).click();
  }

  async expectCounts(pattern: RegExp): Promise<void> {
    await expect(this.figure).toHaveAttribute('aria-label', pattern);
  }

  /** The count of one bar, from the text alternative. */
  async count(label: string): Promise<number> {
    const text = (await this.figure.getAttribute('aria-label')) ?? '';
    const m = new RegExp(`${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: (\\d+)`).exec(text);
    return m ? Number(m[1]) : 0;
  }

  async exportCsv(): Promise<string> {
    return (await download(this.page, () => this.root.getByRole('button', { name: /CSV/ }).click())).text();
  }

  async exportPng(): Promise<Buffer> {
    return readFileSync((await download(this.page, () => this.root.getByRole('link', { name: /PNG/ }).click())).path);
  }
}

export class Analytics {
  /** "N images", with data-how: how the worker brought its copy up to date (full, delta, cached, snapshot). */
  readonly total: Locator;
  readonly tagFilter: Locator;

  constructor(readonly page: Page) {
    this.total = page.getByTestId('an-total');
    this.tagFilter = page.getByTestId('an-tag');
  }

  /** chart-labels, chart-tags, chart-cameras, chart-months, chart-megapixels, chart-people, chart-creators, … */
  chart(name: string): Chart {
    const testid = `chart-${name}`;
    return new Chart(this.page, this.page.getByTestId(testid), testid);
  }

  async expectTotal(images: number, how?: string | RegExp): Promise<void> {
    await expect(this.total).toContainText(`${images} images`);
    if (how) await expect(this.total).toHaveAttribute('data-how', how);
  }
}
