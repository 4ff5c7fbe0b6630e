// "Similar images": nearest neighbours by the classifier's embedding (cosine). Runs on the calling thread;
// fine for libraries of a few thousand images (the analytics worker is the place for more).
import { db } from '../db/schema';
import { nearest } from '../ml/analytics/vectors';

export async function similarImages(imageId: string, k = 6): Promise<{ id: string; similarity: number }[]> {
  const mine = await db.embeddings.where('imageId').equals(imageId).first();
  if (!mine) return [];
  const same = (await db.embeddings.toArray()).filter((e) => e.modelId === mine.modelId);
  const self = same.findIndex((e) => e.imageId === imageId);
  return nearest(
    mine.vector,
    same.map((e) => e.vector),
    k,
    self,
  ).map((r) => ({ id: same[r.index].imageId, similarity: r.similarity }));
}
