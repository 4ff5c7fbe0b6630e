// The backup file format: one JSON document with everything the library holds. Pure: validation and
// encoding helpers only; src/db/backup.ts reads and writes the database.
import type { ImageRecord, StageResult } from './types';

export const BACKUP_FORMAT = 'sightline-backup';
/** 2: adds people, faces (descriptor + crop) and sightings. Version-1 files still restore. */
export const BACKUP_VERSION = 2;

export interface BackupFile {
  format: typeof BACKUP_FORMAT;
  version: number;
  exportedAt: string;
  app: { schema: number };
  /** localStorage entries the app owns (settings, edited rules, …). */
  settings: Record<string, string>;
  images: ImageRecord[];
  results: StageResult[];
  embeddings: { imageId: string; modelId: string; vector: string }[];
  /** Thumbnails as data: URLs; absent when exported without them. */
  thumbs?: { id: string; dataUrl: string }[];
  /** Local user profiles and their likes, hides and views (absent in backups made before profiles). */
  profiles?: { id: string; name: string; createdAt: number }[];
  events?: { profileId: string; imageId: string; kind: 'like' | 'hide' | 'view'; at: number }[];
  /** Identities: people, every face with its descriptor (base64 float32) and crop (data: URL), sightings. */
  people?: { id: string; name: string; createdAt: number }[];
  faces?: BackupFace[];
  sightings?: { personId: string | null; name: string; distance: number; at: number }[];
}

export interface BackupFace {
  id: string;
  imageId: string | null;
  index: number;
  box: [number, number, number, number];
  score: number;
  descriptor: string;
  modelId: string;
  crop: string;
  personId: string | null;
  dismissed?: boolean;
  source: 'photo' | 'gallery' | 'webcam';
  createdAt: number;
}

export function floatsToBase64(v: Float32Array): string {
  const b = new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  let s = '';
  for (let i = 0; i < b.length; i += 0x8000) s += String.fromCharCode(...b.subarray(i, i + 0x8000));
  return btoa(s);
}

export function base64ToFloats(s: string): Float32Array {
  const bin = atob(s);
  const b = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) b[i] = bin.charCodeAt(i);
  if (b.length % 4) throw new Error('embedding data is not a whole number of floats');
  return new Float32Array(b.buffer);
}

const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** Parses and checks a backup; throws an Error whose message says what is wrong. */
export function parseBackup(text: string): BackupFile {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new Error('This is not a Sightline backup: the file is not valid JSON.');
  }
  if (!isObj(doc) || doc.format !== BACKUP_FORMAT) throw new Error('This is not a Sightline backup (the "format" field is missing or different).');
  if (typeof doc.version !== 'number') throw new Error('The backup has no version number.');
  if (doc.version > BACKUP_VERSION)
    throw new Error(`This backup was made by a newer Sightline (backup version ${doc.version}; this app reads up to ${BACKUP_VERSION}). Update the app first.`);
  for (const key of ['images', 'results', 'embeddings'] as const)
    if (!Array.isArray(doc[key])) throw new Error(`The backup is damaged: "${key}" is not a list.`);
  const images = doc.images as unknown[];
  images.forEach((im, i) => {
    if (!isObj(im) || typeof im.id !== 'string' || !/^[0-9a-f]{64}$/.test(im.id) || typeof im.name !== 'string')
      throw new Error(`The backup is damaged: image ${i + 1} has no valid id or name.`);
    const by = im.importedBy;
    if (by !== undefined && (!isObj(by) || typeof by.profileId !== 'string' || typeof by.name !== 'string'))
      throw new Error(`The backup is damaged: image ${i + 1} has an "importedBy" without a profile id and name.`);
  });
  const ids = new Set(images.map((im) => (im as { id: string }).id));
  (doc.results as unknown[]).forEach((r, i) => {
    if (!isObj(r) || typeof r.imageId !== 'string' || typeof r.stage !== 'string' || typeof r.modelId !== 'string')
      throw new Error(`The backup is damaged: result ${i + 1} lacks imageId, stage or modelId.`);
    if (!ids.has(r.imageId)) throw new Error(`The backup is damaged: result ${i + 1} belongs to an image that is not in the backup.`);
  });
  for (const key of ['thumbs', 'profiles', 'events', 'people', 'faces', 'sightings'] as const)
    if (doc[key] !== undefined && !Array.isArray(doc[key])) throw new Error(`The backup is damaged: "${key}" is not a list.`);
  const people = new Set(
    ((doc.people as unknown[] | undefined) ?? []).map((p) => (isObj(p) && typeof p.id === 'string' && typeof p.name === 'string' ? p.id : '')),
  );
  if (people.has('')) throw new Error('The backup is damaged: a person has no id or name.');
  ((doc.faces as unknown[] | undefined) ?? []).forEach((f, i) => {
    if (!isObj(f) || typeof f.id !== 'string' || typeof f.descriptor !== 'string' || typeof f.crop !== 'string' || !Array.isArray(f.box))
      throw new Error(`The backup is damaged: face ${i + 1} lacks its id, box, descriptor or crop.`);
    if (f.personId !== null && !people.has(f.personId as string))
      throw new Error(`The backup is damaged: face ${i + 1} belongs to a person who is not in the backup.`);
    if (f.imageId !== null && !ids.has(f.imageId as string))
      throw new Error(`The backup is damaged: face ${i + 1} belongs to an image that is not in the backup.`);
  });
  if (!isObj(doc.settings)) throw new Error('The backup is damaged: "settings" is missing.');
  return doc as unknown as BackupFile;
}
