// Adding images: the file and folder inputs, the batch's progress, pause/resume/cancel, its errors and notices,
// a folder batch offered for resuming, URL lists and the watched folder.
import { expect, type Locator, type Page } from '@playwright/test';

/** Paths, or files made in the test (name, type, bytes). */
type InputFiles = string[] | { name: string; mimeType: string; buffer: Buffer }[];
const FINISHED = /done|cancelled|failed/;

export class ImportPanel {
  readonly fileInput: Locator;
  readonly folderInput: Locator;
  readonly modelSelect: Locator;
  /** The batch's progress line; data-state is idle, running, paused, done, cancelled or failed. */
  readonly status: Locator;
  /** Why the whole batch could not run (a model missing, …). */
  readonly failure: Locator;
  readonly pauseButton: Locator;
  readonly resumeButton: Locator;
  readonly cancelButton: Locator;
  readonly errorList: Locator;
  readonly errorRows: Locator;
  readonly noticeList: Locator;
  readonly noticeRows: Locator;
  /** A folder batch left unfinished by a reload, offered for resuming. */
  readonly resumeBanner: Locator;
  readonly resumeJob: Locator;
  readonly urls: UrlImport;
  readonly watch: WatchPanel;

  constructor(readonly page: Page) {
    const id = (t: string) => page.getByTestId(t);
    this.fileInput = id('file-input');
    this.folderInput = id('folder-input');
    this.modelSelect = id('model-select');
    this.status = id('batch-status');
    this.failure = id('batch-failure');
    this.pauseButton = id('pause');
    this.resumeButton = id('resume');
    this.cancelButton = id('cancel');
    this.errorList = id('error-list');
    this.errorRows = id('error-row');
    this.noticeList = id('notice-list');
    this.noticeRows = id('notice-row');
    this.resumeBanner = id('resume-banner');
    this.resumeJob = id('resume-job');
    this.urls = new UrlImport(page);
    this.watch = new WatchPanel(page);
  }

  /** Adds files through the file input and waits until the batch has finished (done, cancelled or failed). */
  async addFiles(files: InputFiles, timeout = 170_000): Promise<void> {
    await this.start(files);
    await this.waitFinished(timeout);
  }

  /** Adds files and returns at once (the batch runs on). */
  async start(files: InputFiles): Promise<void> {
    await this.fileInput.setInputFiles(files);
  }

  /** Adds a folder through the folder input and waits until the batch has finished. */
  async addFolder(dir: string, timeout = 170_000): Promise<void> {
    await this.folderInput.setInputFiles(dir);
    await this.waitFinished(timeout);
  }

  async waitFinished(timeout = 170_000): Promise<void> {
    await expect(this.status).toHaveAttribute('data-state', FINISHED, { timeout });
  }

  async expectState(state: string, timeout?: number): Promise<void> {
    await expect(this.status).toHaveAttribute('data-state', state, { timeout });
  }

  /** "N stored · N failed · N already in library" (a part of it). */
  async expectStatus(text: string | RegExp, timeout?: number): Promise<void> {
    await expect(this.status).toContainText(text, { timeout });
  }

  async pause(): Promise<void> {
    await this.pauseButton.click();
    await this.expectState('paused');
  }

  async resume(): Promise<void> {
    await this.resumeButton.click();
  }

  async cancel(): Promise<void> {
    await this.cancelButton.click();
    await this.expectState('cancelled');
  }

  /** Files finished so far (stored + failed + already in the library), from the status line. */
  async finished(): Promise<number> {
    const c = /(\d+) stored.*?(\d+) failed(?:.*?(\d+) already)?/.exec((await this.status.textContent()) ?? '');
    return c ? Number(c[1]) + Number(c[2]) + Number(c[3] ?? 0) : 0;
  }

  errorRow(file: string): Locator {
    return this.errorRows.and(this.page.locator(`[data-file="${file}"]`));
  }

  noticeRow(file: string): Locator {
    return this.noticeRows.and(this.page.locator(`[data-file="${file}"]`));
  }
}

/** Import from a list of image URLs (CSV / TSV). */
export class UrlImport {
  readonly root: Locator;
  readonly fileInput: Locator;
  readonly demoButton: Locator;
  readonly summary: Locator;
  readonly error: Locator;
  readonly startButton: Locator;

  constructor(readonly page: Page) {
    const id = (t: string) => page.getByTestId(t);
    this.root = id('url-import');
    this.fileInput = id('url-file');
    this.demoButton = id('url-demo');
    this.summary = id('url-summary');
    this.error = id('url-error');
    this.startButton = id('url-start');
  }

  async expand(): Promise<void> {
    await this.root.locator('summary').click();
  }

  async chooseFile(file: string): Promise<void> {
    await this.fileInput.setInputFiles(file);
  }

  /** The column chosen for a field (url, name, …). */
  mapping(key: string): Locator {
    return this.page.getByTestId(`map-${key}`);
  }
}

/** Watch a folder: its status, log and Stop. */
export class WatchPanel {
  readonly root: Locator;
  readonly status: Locator;
  readonly log: Locator;
  readonly rows: Locator;
  readonly stopButton: Locator;

  constructor(readonly page: Page) {
    const id = (t: string) => page.getByTestId(t);
    this.root = id('watch');
    this.status = id('watch-status');
    this.log = id('watch-log');
    this.rows = id('watch-row');
    this.stopButton = id('watch-stop');
  }

  async expand(): Promise<void> {
    await this.root.locator('summary').click();
  }
}
