// Clusters and a 2-D map of the library from the classifier's embeddings (computed in the analytics worker).
import type { LibraryItem } from '../db/queries';
import { AnalyticsClient } from '../workers/analytics.client';
import type { Clustering } from '../workers/api';

/** The one analytics worker owner (clusters and charts). */
export const analytics = new AnalyticsClient();

export interface ClusterView extends Clustering {
  ids: string[];
  /** Per cluster: image ids and the most common top label. */
  groups: { ids: string[]; label: string }[];
}

export async function clusterLibrary(items: LibraryItem[], k: number | null): Promise<ClusterView | null> {
  const byId = new Map(items.map((i) => [i.image.id, i]));
  // The worker reads the embeddings (one model's) from IndexedDB and keeps them: nothing big crosses to the page.
  const c = await analytics.clusterLibrary(k);
  if (!c) return null;
  const { ids } = c;
  const groups = Array.from({ length: c.k }, (_, g) => {
    const members = ids.filter((_, i) => c.assign[i] === g);
    const counts = new Map<string, number>();
    for (const id of members) {
      const l = byId.get(id)?.result?.labels[0]?.label;
      if (l) counts.set(l, (counts.get(l) ?? 0) + 1);
    }
    return { ids: members, label: [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '' };
  });
  return { ...c, ids, groups };
}
