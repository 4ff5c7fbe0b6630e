// "Similar images": nearest neighbours by the classifier's embedding (library-centred cosine), sharpened by
// the overlap of the images' top-20 labels. Runs on the calling thread: fine for a few thousand images.
import type { LibraryItem } from '../db/queries';
import { db } from '../db/schema';
import { mostSimilar, type Candidate } from '../ml/analytics/recommend';

export async function candidates(items: LibraryItem[]): Promise<Candidate[]> {
  const vectors = new Map((await db.embeddings.toArray()).map((e) => [e.imageId, e.vector]));
  // Metadata-only images (HEIC, TIFF: never decoded) have no embedding or labels to compare.
  return items
    .filter((i) => !i.image.metadataOnly)
    .map((i) => ({
      id: i.image.id,
      name: i.image.name,
      vector: vectors.get(i.image.id) ?? null,
      labels: i.result?.labels.map((l) => l.label) ?? [],
      tag: i.result?.tag.tag,
    }));
}

export async function similarImages(items: LibraryItem[], imageId: string, k = 6): Promise<{ id: string; similarity: number }[]> {
  return mostSimilar(await candidates(items), imageId, k);
}
