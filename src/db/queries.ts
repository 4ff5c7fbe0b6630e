// Every read and write of the library goes through here.
import type { ClassificationResult, ImageRecord } from '../shared/types';
import { SightlineError } from '../shared/types';
import { db } from './schema';

export interface LibraryItem {
  image: ImageRecord;
  result: ClassificationResult | undefined;
}

export interface SaveInput {
  image: ImageRecord;
  thumb: Blob;
  result: ClassificationResult;
  features: Float32Array | null;
}

/** One transaction: either the image, its thumbnail, result and embedding are all stored, or none is. */
export async function saveProcessed({ image, thumb, result, features }: SaveInput): Promise<void> {
  try {
    await db.transaction('rw', [db.images, db.thumbs, db.results, db.embeddings], async () => {
      const existing = await db.images.get(image.id);
      // Keep the first name and source a content was added under; results are replaced per model.
      if (!existing) await db.images.add(image);
      await db.thumbs.put({ id: image.id, blob: thumb });
      await db.results.put(result);
      if (features) await db.embeddings.put({ imageId: image.id, modelId: result.modelId, vector: features });
    });
  } catch (e) {
    const name = (e as Error).name;
    const why = name === 'QuotaExceededError' ? 'the browser storage quota is full' : (e as Error).message;
    throw new SightlineError('storage-failed', `could not store ${image.name}: ${why}`);
  }
}

export async function findResult(imageId: string, modelId: string, stageVersion: number): Promise<ClassificationResult | undefined> {
  const r = await db.results.get([imageId, 'classify', modelId]);
  return r && r.stageVersion === stageVersion ? r : undefined;
}

export async function getImage(id: string): Promise<ImageRecord | undefined> {
  return db.images.get(id);
}

/** Newest first, each with its most recent classification. */
export async function listLibrary(): Promise<LibraryItem[]> {
  const [images, results] = await Promise.all([db.images.orderBy('addedAt').reverse().toArray(), db.results.where('stage').equals('classify').toArray()]);
  const latest = new Map<string, ClassificationResult>();
  for (const r of results) {
    const prev = latest.get(r.imageId);
    if (!prev || r.createdAt > prev.createdAt) latest.set(r.imageId, r);
  }
  return images.map((image) => ({ image, result: latest.get(image.id) }));
}

export async function getThumb(id: string): Promise<Blob | undefined> {
  return (await db.thumbs.get(id))?.blob;
}

export async function deleteImage(id: string): Promise<void> {
  await db.transaction('rw', [db.images, db.thumbs, db.results, db.embeddings], async () => {
    await db.images.delete(id);
    await db.thumbs.delete(id);
    await db.results.where('imageId').equals(id).delete();
    await db.embeddings.where('imageId').equals(id).delete();
  });
}

export async function clearLibrary(): Promise<void> {
  await db.transaction('rw', [db.images, db.thumbs, db.results, db.embeddings], async () => {
    await Promise.all([db.images.clear(), db.thumbs.clear(), db.results.clear(), db.embeddings.clear()]);
  });
}

export async function libraryCounts(): Promise<{ images: number; results: number }> {
  return { images: await db.images.count(), results: await db.results.count() };
}
