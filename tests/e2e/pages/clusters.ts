// Clusters: k-means over the embeddings (k by silhouette or by hand) and the PCA map.
import type { Locator, Page } from '@playwright/test';

export class Clusters {
  readonly root: Locator;
  readonly summary: Locator;
  readonly groups: Locator;
  readonly map: Locator;
  readonly tip: Locator;

  constructor(readonly page: Page) {
    const id = (t: string) => page.getByTestId(t);
    this.root = id('clusters');
    this.summary = id('cluster-summary');
    this.groups = id('cluster-group');
    this.map = id('cluster-map');
    this.tip = id('cluster-tip');
  }

  /** Clusters with k chosen by silhouette, or a given k. */
  async run(k?: number): Promise<void> {
    if (k !== undefined) await this.page.getByTestId('cluster-k').selectOption(String(k));
    await this.page.getByTestId('cluster-run').click();
  }

  /** Each group's image count, from its heading. */
  async sizes(): Promise<number[]> {
    return this.groups.locator('h3').evaluateAll((hs) => hs.map((h) => Number(/(\d+) images/.exec(h.textContent ?? '')?.[1] ?? NaN)));
  }
}
