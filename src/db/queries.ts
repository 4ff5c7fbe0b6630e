// Every read and write of the library goes through here.
import type { ClassificationResult, DetectionResult, FaceRecord, FacesResult, ImageRecord, StageResult } from '../shared/types';
import { SightlineError } from '../shared/types';
import { isQuotaError } from '../shared/quota';
import { db } from './schema';
import { replaceFacesOf } from './faces';
import { recordDeletions } from './analytics-cache';

/** An image with its most recent result of each stage. */
export interface LibraryItem {
  image: ImageRecord;
  result: ClassificationResult | undefined;
  detection: DetectionResult | undefined;
  /** The faces stage's newest result (boxes, and names as recognised when stored). */
  faces?: FacesResult;
}

export interface SaveInput {
  image: ImageRecord;
  thumb: Blob;
  results: StageResult[];
  features: { modelId: string; vector: Float32Array } | null;
  /** Faces found by the faces stage (undefined: the stage did not run, stored faces stay). */
  faces?: FaceRecord[];
}

/** One transaction: either the image, its thumbnail, results and embedding are all stored, or none is. */
export async function saveProcessed({ image, thumb, results, features, faces }: SaveInput): Promise<void> {
  try {
    await db.transaction('rw', [db.images, db.thumbs, db.results, db.embeddings, db.faces], async () => {
      const existing = await db.images.get(image.id);
      // Keep the first name and source a content was added under; results are replaced per stage and model.
      if (!existing) await db.images.add(image);
      await db.thumbs.put({ id: image.id, blob: thumb });
      await db.results.bulkPut(results);
      if (features) await db.embeddings.put({ imageId: image.id, modelId: features.modelId, vector: features.vector });
      if (faces) await replaceFacesOf(image.id, faces);
    });
  } catch (e) {
    // The transaction is atomic: on any failure nothing of this image is stored. Dexie reports a full quota
    // as an aborted transaction whose inner error is the QuotaExceededError.
    const why = isQuotaError(e)
      ? 'the browser storage quota is full (nothing of it was stored; free space, e.g. remove offline models, then add it again)'
      : (e as Error).message;
    throw new SightlineError('storage-failed', `could not store ${image.name}: ${why}`);
  }
}

export async function findResult(imageId: string, stage: StageResult['stage'], modelId: string): Promise<StageResult | undefined> {
  return db.results.get([imageId, stage, modelId]);
}

export async function getImage(id: string): Promise<ImageRecord | undefined> {
  return db.images.get(id);
}

function newest<T extends StageResult>(rows: T[]): Map<string, T> {
  const m = new Map<string, T>();
  for (const r of rows) {
    const prev = m.get(r.imageId);
    if (!prev || r.createdAt > prev.createdAt) m.set(r.imageId, r);
  }
  return m;
}

/** Newest first, each with its most recent classification, detection and faces result. */
export async function listLibrary(): Promise<LibraryItem[]> {
  const [images, results] = await Promise.all([db.images.orderBy('addedAt').reverse().toArray(), db.results.toArray()]);
  const classes = newest(results.filter((r): r is ClassificationResult => r.stage === 'classify'));
  const detections = newest(results.filter((r): r is DetectionResult => r.stage === 'detect'));
  const faces = newest(results.filter((r): r is FacesResult => r.stage === 'faces'));
  return images.map((image) => ({ image, result: classes.get(image.id), detection: detections.get(image.id), faces: faces.get(image.id) }));
}

export async function getThumb(id: string): Promise<Blob | undefined> {
  return (await db.thumbs.get(id))?.blob;
}

export async function deleteImage(id: string): Promise<void> {
  await db.transaction('rw', [db.images, db.thumbs, db.results, db.embeddings, db.faces, db.analyticsCache], async () => {
    // Logged so the analytics worker drops it without comparing every key.
    await recordDeletions(db, [id]);
    await db.faces.where('imageId').equals(id).delete();
    await db.images.delete(id);
    await db.thumbs.delete(id);
    await db.results.where('imageId').equals(id).delete();
    await db.embeddings.where('imageId').equals(id).delete();
  });
}

export async function clearLibrary(): Promise<void> {
  await db.transaction('rw', [db.images, db.thumbs, db.results, db.embeddings, db.faces], async () => {
    // Faces found in photos go with the photos; enrolment samples (gallery, webcam) and people stay.
    await db.faces.filter((f) => f.source === 'photo').delete();
    await Promise.all([db.images.clear(), db.thumbs.clear(), db.results.clear(), db.embeddings.clear()]);
  });
}

export async function libraryCounts(): Promise<{ images: number; results: number }> {
  return { images: await db.images.count(), results: await db.results.count() };
}
