// Recommendations for a profile from the stored library.
import type { LibraryItem } from '../db/queries';
import { recommend, type Recommendation } from '../ml/analytics/recommend';
import { candidates } from './similar';

export type { Recommendation };

export async function recommendFor(items: LibraryItem[], signals: { liked: string[]; hidden: string[]; seen: string[] }, k = 20): Promise<Recommendation[]> {
  return recommend(await candidates(items), signals, k);
}
