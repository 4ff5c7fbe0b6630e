// "Similar images": nearest neighbours by the classifier's embedding (library-centred cosine), sharpened by
// the overlap of the images' top-20 labels. Computed in the analytics worker, which reads the embeddings from
// IndexedDB itself and keeps them (and the centred vectors) until the library changes.
import { analytics } from './clusters';

export async function similarImages(imageId: string, k = 6): Promise<{ id: string; similarity: number }[]> {
  return (await analytics.similar(imageId, k)).similar;
}
