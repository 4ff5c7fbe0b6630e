// The detail view (a modal dialog): top-5, tag, boxes, EXIF, similar images, faces, like/hide, remove.
import { expect, type Locator, type Page } from '@playwright/test';

export class Detail {
  readonly root: Locator;
  readonly title: Locator;
  readonly top5: Locator;
  readonly similar: Locator;
  readonly objectToggles: Locator;
  readonly like: Locator;
  readonly hide: Locator;
  readonly metadataOnlyNote: Locator;
  readonly exifCamera: Locator;
  readonly exifDate: Locator;
  readonly exifGps: Locator;
  readonly palette: Locator;
  /** One row per face (data-name: who it is), and the boxes drawn over the image. */
  readonly faces: Locator;
  readonly faceBoxes: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('detail');
    const id = (t: string) => this.root.getByTestId(t);
    this.title = this.root.locator('h2');
    this.top5 = id('top5');
    this.similar = id('similar');
    this.objectToggles = id('object-toggles');
    this.like = id('like');
    this.hide = id('hide');
    this.metadataOnlyNote = id('metadata-only-note');
    this.exifCamera = id('exif-camera');
    this.exifDate = id('exif-date');
    this.exifGps = id('exif-gps');
    this.palette = id('palette');
    this.faces = id('detail-face');
    this.faceBoxes = id('face-box');
  }

  /** Object boxes drawn over the image, of one class or all. */
  boxes(label?: string): Locator {
    const all = this.root.getByTestId('box');
    return label ? all.and(this.page.locator(`[data-label="${label}"]`)) : all;
  }

  /** The content tag shown for the image. */
  tag(tag: string): Locator {
    return this.root.locator(`[data-tag="${tag}"]`);
  }

  async toggleLike(): Promise<void> {
    const was = await this.like.getAttribute('aria-pressed');
    await this.like.click();
    await expect(this.like).toHaveAttribute('aria-pressed', was === 'true' ? 'false' : 'true');
  }

  async remove(): Promise<void> {
    await this.root.getByRole('button', { name: 'Remove from library' }).click();
  }

  /** Names an unknown face as a new person. */
  async nameNewPerson(name: string): Promise<void> {
    await this.root.getByLabel("New person's name").fill(name);
    await this.root.getByRole('button', { name: 'Add' }).click();
  }

  async confirmFace(): Promise<void> {
    await this.root.getByRole('button', { name: 'Confirm' }).click();
  }

  async close(): Promise<void> {
    await this.root.getByRole('button', { name: 'Close' }).click();
    await expect(this.root).toBeHidden();
  }

  /** Closes with the keyboard, as a person would. */
  async escape(): Promise<void> {
    await this.page.keyboard.press('Escape');
    await expect(this.root).toBeHidden();
  }
}
