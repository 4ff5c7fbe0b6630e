// The IndexedDB schema. Add a new version() block for every change; never edit a released one.
import Dexie, { type EntityTable } from 'dexie';
import type { FaceRecord, ImageRecord, PersonRecord, SightingRecord, StageResult } from '../shared/types';
import type { SoftmaxModel } from '../shared/faces-classifier';

export interface ThumbRow {
  id: string;
  blob: Blob;
}
export interface EmbeddingRow {
  imageId: string;
  modelId: string;
  vector: Float32Array;
}

/** A folder batch that can be resumed after a reload (File System Access API handles survive in IndexedDB). */
export interface JobRow {
  id: string;
  dir: FileSystemDirectoryHandle;
  name: string;
  total: number;
  startedAt: number;
  state: 'running' | 'paused' | 'interrupted' | 'done' | 'cancelled';
}

export interface ProfileRow {
  id: string;
  name: string;
  createdAt: number;
}
export interface EventRow {
  id?: number;
  profileId: string;
  imageId: string;
  kind: 'like' | 'hide' | 'view';
  at: number;
}

/** The face classifier (method 2) trained on the confirmed faces whose ids hash to `trainedOn`. */
export interface FaceModelRow {
  id: 'classifier';
  model: SoftmaxModel;
  trainedOn: string;
}

/**
 * The analytics worker's own rows (never backed up): 'records', the flattened library it last computed with the
 * high-water marks it was built from (src/db/analytics-cache.ts), and 'epoch', bumped by writers that rewrite
 * images in place (restoring a backup) so every cached copy is rebuilt.
 */
export interface AnalyticsCacheRow {
  id: string;
  [field: string]: unknown;
}

export class SightlineDB extends Dexie {
  images!: EntityTable<ImageRecord, 'id'>;
  thumbs!: EntityTable<ThumbRow, 'id'>;
  results!: Dexie.Table<StageResult, [string, string, string]>;
  embeddings!: Dexie.Table<EmbeddingRow, [string, string]>;
  jobs!: EntityTable<JobRow, 'id'>;
  profiles!: EntityTable<ProfileRow, 'id'>;
  events!: EntityTable<EventRow, 'id'>;
  faces!: EntityTable<FaceRecord, 'id'>;
  people!: EntityTable<PersonRecord, 'id'>;
  sightings!: EntityTable<SightingRecord, 'id'>;
  faceModels!: EntityTable<FaceModelRow, 'id'>;
  analyticsCache!: EntityTable<AnalyticsCacheRow, 'id'>;

  constructor(name = 'sightline') {
    super(name);
    this.version(1).stores({
      images: 'id, name, addedAt, format',
      thumbs: 'id',
      results: '[imageId+stage+modelId], imageId, stage, modelId, tag.tag, createdAt',
      embeddings: '[imageId+modelId], imageId',
    });
    // v2: resumable folder batches.
    this.version(2).stores({ jobs: 'id, startedAt' });
    // v3: local user profiles and what each liked, hid and viewed.
    this.version(3).stores({ profiles: 'id, name', events: '++id, profileId, imageId, [profileId+kind]' });
    // v4: faces (descriptor, crop, confirmed identity), people, live-view sightings, the trained face classifier.
    this.version(4).stores({ faces: 'id, imageId, personId, createdAt', people: 'id, name', sightings: '++id, personId, at', faceModels: 'id' });
    // v5: the analytics worker's persisted flat records (and the epoch that invalidates them).
    this.version(5).stores({ analyticsCache: 'id' });
  }
}

export const db = new SightlineDB();
