// Whole-library backup and restore. Restore validates first and writes in one transaction, so a bad
// file changes nothing.
import { BACKUP_FORMAT, BACKUP_VERSION, base64ToFloats, floatsToBase64, parseBackup, type BackupFile } from '../shared/backup';
import { invalidateAnalytics } from './analytics-cache';
import { db } from './schema';

const OWN_KEYS = /^sightline\./;

function blobToDataUrl(b: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(r.result as string);
    r.onerror = () => reject(r.error);
    r.readAsDataURL(b);
  });
}

export async function exportBackup(withThumbs: boolean): Promise<string> {
  const [images, results, embeddings, thumbs, profiles, events, people, faces, sightings] = await Promise.all([
    db.images.toArray(),
    db.results.toArray(),
    db.embeddings.toArray(),
    withThumbs ? db.thumbs.toArray() : [],
    db.profiles.toArray(),
    db.events.toArray(),
    db.people.toArray(),
    db.faces.toArray(),
    db.sightings.toArray(),
  ]);
  const settings: Record<string, string> = {};
  for (let i = 0; i < localStorage.length; i++) {
    const k = localStorage.key(i)!;
    if (OWN_KEYS.test(k)) settings[k] = localStorage.getItem(k)!;
  }
  const file: BackupFile = {
    format: BACKUP_FORMAT,
    version: BACKUP_VERSION,
    exportedAt: new Date().toISOString(),
    app: { schema: db.verno },
    settings,
    images,
    results,
    embeddings: embeddings.map((e) => ({ imageId: e.imageId, modelId: e.modelId, vector: floatsToBase64(e.vector) })),
    profiles,
    events: events.map(({ profileId, imageId, kind, at }) => ({ profileId, imageId, kind, at })),
    people,
    // Face crops are small (96 px) and enrolment samples may have no photo: always included.
    faces: await Promise.all(faces.map(async (f) => ({ ...f, descriptor: floatsToBase64(f.descriptor), crop: await blobToDataUrl(f.crop) }))),
    sightings: sightings.map(({ personId, name, distance, at }) => ({ personId, name, distance, at })),
    ...(withThumbs ? { thumbs: await Promise.all(thumbs.map(async (t) => ({ id: t.id, dataUrl: await blobToDataUrl(t.blob) }))) } : {}),
  };
  return JSON.stringify(file);
}

export interface RestoreSummary {
  profiles: number;
  people: number;
  faces: number;
  images: number;
  results: number;
  thumbs: number;
  settings: number;
}

export async function restoreBackup(text: string): Promise<RestoreSummary> {
  const b = parseBackup(text);
  // Decode everything before touching the database.
  const embeddings = b.embeddings.map((e) => ({ imageId: e.imageId, modelId: e.modelId, vector: base64ToFloats(e.vector) }));
  const thumbs = await Promise.all(
    (b.thumbs ?? []).map(async (t) => {
      if (!/^data:image\/(webp|jpeg|png);base64,/.test(t.dataUrl))
        throw new Error(`The backup is damaged: thumbnail of ${t.id.slice(0, 12)}… is not an image.`);
      return { id: t.id, blob: await (await fetch(t.dataUrl)).blob() };
    }),
  );
  const faces = await Promise.all(
    (b.faces ?? []).map(async (f) => {
      if (!/^data:image\/(jpeg|png|webp);base64,/.test(f.crop)) throw new Error(`The backup is damaged: the crop of face ${f.id} is not an image.`);
      return { ...f, descriptor: base64ToFloats(f.descriptor), crop: await (await fetch(f.crop)).blob() };
    }),
  );
  await db.transaction(
    'rw',
    [db.images, db.results, db.embeddings, db.thumbs, db.profiles, db.events, db.people, db.faces, db.sightings, db.faceModels, db.analyticsCache],
    async () => {
      // Records may be rewritten in place with their old timestamps: the analytics worker's copy is rebuilt.
      await invalidateAnalytics(db);
      await db.images.bulkPut(b.images);
      await db.results.bulkPut(b.results);
      await db.embeddings.bulkPut(embeddings);
      await db.thumbs.bulkPut(thumbs);
      await db.profiles.bulkPut(b.profiles ?? []);
      // Events get new local ids; restoring twice does not duplicate them.
      const known = new Set((await db.events.toArray()).map((e) => `${e.profileId}|${e.imageId}|${e.kind}|${e.at}`));
      await db.events.bulkAdd((b.events ?? []).filter((e) => !known.has(`${e.profileId}|${e.imageId}|${e.kind}|${e.at}`)));
      await db.people.bulkPut(b.people ?? []);
      await db.faces.bulkPut(faces);
      const seen = new Set((await db.sightings.toArray()).map((s) => `${s.name}|${s.at}`));
      await db.sightings.bulkAdd((b.sightings ?? []).filter((s) => !seen.has(`${s.name}|${s.at}`)));
      // The classifier is retrained from the restored faces when next needed.
      await db.faceModels.clear();
    },
  );
  for (const [k, v] of Object.entries(b.settings)) if (OWN_KEYS.test(k)) localStorage.setItem(k, v);
  return {
    images: b.images.length,
    results: b.results.length,
    thumbs: thumbs.length,
    settings: Object.keys(b.settings).length,
    profiles: b.profiles?.length ?? 0,
    people: b.people?.length ?? 0,
    faces: faces.length,
  };
}
