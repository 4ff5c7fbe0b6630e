// The team-sync outbox (records waiting to be pushed) and this device's sync settings. Its own IndexedDB
// database, apart from the library's: its versions evolve without touching the library schema, and leaving
// a team clears it without a library migration.
import Dexie, { type EntityTable } from 'dexie';
import type { MemberInfo, SyncRecord, TeamInfo } from '../shared/sync';
import type { ExifField } from '../shared/sync-constants';

export interface OutboxRow {
  id: string;
  record: SyncRecord;
  enqueuedAt: number;
}

/** Set by joining; the token is the device's only credential (the server keeps its hash). */
export interface SyncAccount {
  serverUrl: string;
  token: string;
  deviceId: string;
  team: TeamInfo;
  member: MemberInfo;
  joinedAt: number;
}

/** What this member allows to leave the device, beyond labels, tags, objects and people. */
export interface SyncPrefs {
  shareFileNames: boolean;
  exifFields: ExifField[];
}

export interface SyncLog {
  lastSyncAt: number | null;
  lastError: string | null;
  /** Records the server refused one by one (invalid); dropped so they cannot block the queue. */
  rejected: number;
}

interface MetaRow {
  key: 'account' | 'prefs' | 'log';
  value: unknown;
}

class SyncDB extends Dexie {
  outbox!: EntityTable<OutboxRow, 'id'>;
  meta!: EntityTable<MetaRow, 'key'>;

  constructor(name: string) {
    super(name);
    this.version(1).stores({ outbox: 'id, enqueuedAt', meta: 'key' });
  }
}

export class OutboxStore {
  private readonly db: SyncDB;

  constructor(name = 'sightline-sync') {
    this.db = new SyncDB(name);
  }

  async add(rows: OutboxRow[]): Promise<void> {
    await this.db.outbox.bulkPut(rows);
  }

  /** The oldest `n` waiting records. */
  peek(n: number): Promise<OutboxRow[]> {
    return this.db.outbox.orderBy('enqueuedAt').limit(n).toArray();
  }

  async remove(ids: string[]): Promise<void> {
    await this.db.outbox.bulkDelete(ids);
  }

  count(): Promise<number> {
    return this.db.outbox.count();
  }

  async clear(): Promise<void> {
    await this.db.outbox.clear();
  }

  async get<T>(key: MetaRow['key']): Promise<T | undefined> {
    return (await this.db.meta.get(key))?.value as T | undefined;
  }

  async set(key: MetaRow['key'], value: unknown): Promise<void> {
    if (value === undefined) await this.db.meta.delete(key);
    else await this.db.meta.put({ key, value });
  }

  close(): void {
    this.db.close();
  }
}
