// Diagnostics: backend, threads, cross-origin isolation, WebGPU, storage, models, workers.
import type { Locator, Page } from '@playwright/test';

export class Diagnostics {
  readonly coi: Locator;
  readonly backend: Locator;
  readonly threads: Locator;
  readonly webgpu: Locator;
  readonly models: Locator;
  readonly storage: Locator;

  constructor(readonly page: Page) {
    const id = (t: string) => page.getByTestId(t);
    this.coi = id('diag-coi');
    this.backend = id('diag-backend');
    this.threads = id('diag-threads');
    this.webgpu = id('diag-webgpu');
    this.models = id('diag-models');
    this.storage = id('diag-storage');
  }

  /** A worker's line: "<name>: running · started N× · crash restarts N". */
  worker(name: 'image' | 'inference' | 'faces'): Locator {
    return this.page.getByTestId('diag-worker').and(this.page.locator(`[data-name="${name}"]`));
  }
}
