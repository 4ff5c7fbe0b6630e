// The IndexedDB schema. Add a new version() block for every change; never edit a released one.
import Dexie, { type EntityTable } from 'dexie';
import type { ImageRecord, StageResult } from '../shared/types';

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

export class SightlineDB extends Dexie {
  images!: EntityTable<ImageRecord, 'id'>;
  thumbs!: EntityTable<ThumbRow, 'id'>;
  results!: Dexie.Table<StageResult, [string, string, string]>;
  embeddings!: Dexie.Table<EmbeddingRow, [string, string]>;
  jobs!: EntityTable<JobRow, 'id'>;
  profiles!: EntityTable<ProfileRow, 'id'>;
  events!: EntityTable<EventRow, 'id'>;

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
  }
}

export const db = new SightlineDB();
