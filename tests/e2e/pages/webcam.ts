// The live Webcam view: start/stop, the names over the video, its counters, enrolment by holding a button.
import { expect, type Locator, type Page } from '@playwright/test';

export class Webcam {
  readonly startButton: Locator;
  readonly stopButton: Locator;
  readonly names: Locator;
  readonly error: Locator;
  readonly stats: Locator;
  readonly enrolName: Locator;
  readonly holdToRecord: Locator;
  readonly enrolMessage: Locator;

  constructor(readonly page: Page) {
    const id = (t: string) => page.getByTestId(t);
    this.startButton = id('webcam-start');
    this.stopButton = id('webcam-stop');
    this.names = id('webcam-names');
    this.error = id('webcam-error');
    this.stats = id('webcam-stats');
    this.enrolName = id('webcam-enrol-name');
    this.holdToRecord = id('hold-to-record');
    this.enrolMessage = id('webcam-enrol-message');
  }

  async start(): Promise<void> {
    await this.startButton.click();
  }

  async stop(): Promise<void> {
    await this.stopButton.click();
    await expect(this.startButton).toBeVisible();
  }

  /** Holds the record button until it has recorded at least `samples` frames, then releases it. */
  async holdToEnrol(name: string, samples = 3): Promise<void> {
    await this.enrolName.fill(name);
    await this.holdToRecord.hover();
    await this.page.mouse.down();
    await expect(this.holdToRecord).toContainText(new RegExp(`Recording… ([${samples}-9]|\\d\\d)`), { timeout: 30_000 });
    await this.page.mouse.up();
  }
}
