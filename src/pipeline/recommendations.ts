// Recommendations for a profile from the stored library, computed in the analytics worker (src/ml/analytics/recommend.ts
// over the worker's copy of the library and its embeddings): the page only sends the profile's signals.
import type { Recommendation } from '../ml/analytics/recommend';
import { analytics } from './clusters';

export type { Recommendation };

export async function recommendFor(signals: { liked: string[]; hidden: string[]; seen: string[] }, k = 20): Promise<Recommendation[]> {
  return (await analytics.recommend(signals, k)).recs;
}
