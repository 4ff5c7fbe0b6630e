// The analytics worker's copy of the library as flat rows (one per image), kept up to date from IndexedDB's
// indexes instead of re-read: after a change only the images added since (`addedAt` index) and the images whose
// results were written since (`createdAt` index; the People view rewrites faces results with a new createdAt)
// are read again. Deletions and writes with old timestamps (a restored backup) show up as totals that do not
// add up: then the primary keys alone are compared (no values read). The rows are persisted as one compact
// snapshot (src/shared/analytics-snapshot.ts) in `analyticsCache`, so a fresh worker starts from it and reads
// only what changed since. Embeddings (recommendations, similar images, clusters) are cached the same way,
// in memory only, on first use. Thumbnails and embeddings are never read for the charts.
import { aggregate as aggregateRecords, creatorSource, flatteningCode, importedByLabel, toRecord, type Aggregates, type Filters } from '../shared/aggregate';
import { decodeRows, encodeRows, flatRow, hashString, type EncodedRows, type FlatRow } from '../shared/analytics-snapshot';
import type { ClassificationResult, DetectionResult, FacesResult, ImageRecord, StageResult } from '../shared/types';
import type { SightlineDB } from './schema';

/** Bump when the snapshot's layout changes (the flattening code is checked by its own hash). */
const FORMAT = 2;
/** Rows written with a timestamp up to this much older than the newest one seen are read again (late commits). */
const SLACK_MS = 60_000;
/** Deleted image ids kept in the 'deleted' row for caches to catch up from (older ones: the primary keys are compared). */
const DELETED_KEEP = 2000;
/** More changed images than this share of the library (and than FULL_MIN): read everything at once instead. */
const FULL_SHARE = 0.3;
const FULL_MIN = 2000;
const tooMany = (changed: number, size: number) => changed > Math.max(FULL_MIN, FULL_SHARE * size);

export type LoadPath = 'cached' | 'delta' | 'snapshot' | 'full';

export interface SyncInfo {
  /** cached: nothing changed; delta: only changed images read; snapshot: started from the persisted rows (+ delta); full: everything read. */
  how: LoadPath;
  /** Images whose rows were read again (added, changed, removed); the library size for a full read. */
  changed: number;
  /** The whole sync: change check, reads, flattening. */
  loadMs: number;
  /** Of loadMs, reading values from IndexedDB. */
  readMs: number;
}

type Marks = {
  /** Newest addedAt / createdAt the rows were built from. */
  imageMark: number;
  resultMark: number;
  /** Result rows that belong to no image (they are counted by IndexedDB but by no row). */
  extra: number;
  epoch: number;
  /** Deletions logged in the 'deleted' row (recordDeletions) up to when the rows were read. */
  deletedSeq: number;
};

type SnapshotRow = Marks & {
  id: 'records';
  format: number;
  code: string;
  savedAt: number;
  data: EncodedRows;
};

export interface VectorEntry {
  modelId: string;
  vector: Float32Array;
}

/** A recommendation candidate (src/ml/analytics/recommend.ts Candidate, which src/db may not import). */
export interface CandidateRow {
  id: string;
  name: string;
  vector: Float32Array | null;
  labels: string[];
  tag: string | undefined;
}

type Newest = { c?: ClassificationResult; d?: DetectionResult; f?: FacesResult; n: number };

/** The newest result of each stage per image (ties: the first in key order, as listLibrary) and how many rows each has. */
function newestByImage(results: StageResult[]): Map<string, Newest> {
  const m = new Map<string, Newest>();
  for (const x of results) {
    let e = m.get(x.imageId);
    if (!e) m.set(x.imageId, (e = { n: 0 }));
    e.n++;
    const k = x.stage === 'classify' ? 'c' : x.stage === 'detect' ? 'd' : 'f';
    const prev = e[k];
    if (!prev || x.createdAt > prev.createdAt) (e as Record<typeof k, StageResult>)[k] = x;
  }
  return m;
}

function rowOf(image: ImageRecord, r: Newest | undefined, names: ReadonlyMap<string, string>): FlatRow {
  const src = creatorSource(image);
  return flatRow(
    toRecord(image, r?.c, r?.d, names, r?.f),
    r?.n ?? 0,
    typeof src === 'string' ? null : { profileId: src.profileId, name: src.name },
    image.name,
    !!image.metadataOnly,
    r?.c?.labels.map((l) => l.label) ?? [],
  );
}

export class AnalyticsCache {
  private rows: FlatRow[] = [];
  private index = new Map<string, number>();
  private totalResults = 0;
  private marks: Marks | null = null;
  /** Counts, newest times and epoch as last seen: equal means nothing changed. */
  private key = '';
  private profilesKey = '';
  private vectors: Map<string, VectorEntry[]> | null = null;
  private vectorRows = 0;
  /** Images whose embeddings must be read again before the next use (null: all). */
  private pendingVectors: Set<string> | null = new Set();
  private saveTimer: ReturnType<typeof setTimeout> | undefined;
  private saving: Promise<void> = Promise.resolve();
  readonly code = hashString(flatteningCode());
  /** Bumped whenever the rows change; `vectorVersion` whenever the embeddings do. */
  version = 0;
  vectorVersion = 0;

  constructor(
    private readonly db: SightlineDB,
    private readonly opts: { saveDelayMs: number; persist: boolean } = { saveDelayMs: 2000, persist: true },
  ) {}

  get records(): readonly FlatRow[] {
    return this.rows;
  }

  row(id: string): FlatRow | undefined {
    const i = this.index.get(id);
    return i === undefined ? undefined : this.rows[i];
  }

  aggregate(filters: Filters): Aggregates {
    return aggregateRecords(this.rows, filters);
  }

  /** Brings the rows (and, with `withVectors`, the embeddings) up to date with IndexedDB, in one read transaction. */
  async sync(withVectors = false): Promise<SyncInfo> {
    const t0 = performance.now();
    const db = this.db;
    const info = await db.transaction('r', [db.images, db.results, db.profiles, db.analyticsCache, db.embeddings], async () => {
      const [n, r, lastImage, lastResult, profiles, epochRow] = await Promise.all([
        db.images.count(),
        db.results.count(),
        db.images.orderBy('addedAt').lastKey(),
        db.results.orderBy('createdAt').lastKey(),
        db.profiles.toArray(),
        db.analyticsCache.get('epoch'),
      ]);
      const epoch = Number(epochRow?.value ?? 0);
      const names = new Map(profiles.map((p) => [p.id, p.name]));
      const profilesKey = JSON.stringify(profiles.map((p) => [p.id, p.name]));
      const key = `${n}/${r}/${Number(lastImage ?? 0)}/${Number(lastResult ?? 0)}/${epoch}`;
      const marksNow = { imageMark: Number(lastImage ?? 0), resultMark: Number(lastResult ?? 0) };
      let how: LoadPath = 'cached';
      let changed = 0;
      let readMs = 0;

      if (this.marks?.epoch !== epoch) this.marks = null;
      if (!this.marks) {
        const t = performance.now();
        const snap = this.opts.persist ? ((await db.analyticsCache.get('records')) as SnapshotRow | undefined) : undefined;
        readMs += performance.now() - t;
        if (snap && snap.format === FORMAT && snap.code === this.code && snap.epoch === epoch) {
          this.setRows(decodeRows(snap.data));
          this.marks = { imageMark: snap.imageMark, resultMark: snap.resultMark, extra: snap.extra, epoch, deletedSeq: snap.deletedSeq };
          this.relabel(names);
          this.profilesKey = profilesKey;
          this.key = '';
          how = 'snapshot';
        }
      }

      if (this.marks && key !== this.key) {
        const m = this.marks;
        const t = performance.now();
        const [imageIds, resultKeys, deleted] = await Promise.all([
          db.images
            .where('addedAt')
            .aboveOrEqual(m.imageMark - SLACK_MS)
            .primaryKeys(),
          db.results
            .where('createdAt')
            .aboveOrEqual(m.resultMark - SLACK_MS)
            .primaryKeys(),
          db.analyticsCache.get('deleted'),
        ]);
        readMs += performance.now() - t;
        // Images deleted since (deleteImage logs them): dropped first, so one added again after is read again below.
        const deletedSeq = Number(deleted?.seq ?? 0);
        const log = (deleted?.ids as string[] | undefined) ?? [];
        if (deletedSeq > m.deletedSeq && deletedSeq - m.deletedSeq <= log.length) {
          const gone = log.slice(log.length - (deletedSeq - m.deletedSeq));
          this.remove(gone);
          for (const id of gone) this.pendingVectors?.add(id);
          changed += gone.length;
        }
        const touched = new Set<string>();
        for (const id of imageIds) if (!this.index.has(id)) touched.add(id);
        for (const k of resultKeys) touched.add(k[0]);
        let ok = !tooMany(touched.size, Math.max(n, this.rows.length));
        if (ok && touched.size) readMs += await this.reread([...touched], names);
        changed += touched.size;
        // Totals that do not add up: deletions, or writes older than the marks. Compare primary keys (no values read).
        if (ok && (this.rows.length !== n || this.totalResults + m.extra !== r)) {
          const t2 = performance.now();
          const ids = await db.images.toCollection().primaryKeys();
          readMs += performance.now() - t2;
          const present = new Set(ids);
          const gone = this.rows.filter((x) => !present.has(x.id)).map((x) => x.id);
          this.remove(gone);
          const added = ids.filter((id) => !this.index.has(id));
          changed += gone.length + added.length;
          ok = !tooMany(added.length, n);
          if (ok && added.length) readMs += await this.reread(added, names);
          if (ok && this.totalResults + m.extra !== r) {
            const t3 = performance.now();
            const keys = await db.results.toCollection().primaryKeys();
            readMs += performance.now() - t3;
            const per = new Map<string, number>();
            for (const k of keys) per.set(k[0], (per.get(k[0]) ?? 0) + 1);
            const wrong = this.rows.filter((x) => (per.get(x.id) ?? 0) !== x.nr).map((x) => x.id);
            changed += wrong.length;
            ok = !tooMany(wrong.length, n);
            if (ok && wrong.length) readMs += await this.reread(wrong, names);
            if (ok) m.extra = keys.length - this.totalResults;
          }
          for (const id of gone) this.pendingVectors?.add(id);
        }
        if (ok) {
          Object.assign(m, marksNow, { deletedSeq });
          if (how === 'cached') how = 'delta';
          this.version++;
        } else this.marks = null;
      }

      if (!this.marks) {
        const t = performance.now();
        const [images, results, deleted] = await Promise.all([db.images.toArray(), db.results.toArray(), db.analyticsCache.get('deleted')]);
        readMs += performance.now() - t;
        const newest = newestByImage(results);
        this.setRows(images.map((im) => rowOf(im, newest.get(im.id), names)));
        this.marks = { ...marksNow, extra: results.length - this.totalResults, epoch, deletedSeq: Number(deleted?.seq ?? 0) };
        this.pendingVectors = null;
        how = 'full';
        changed = n;
      }
      if (profilesKey !== this.profilesKey) {
        this.relabel(names);
        this.profilesKey = profilesKey;
        this.version++;
      }
      this.key = key;
      if (withVectors) readMs += await this.syncVectors();
      return { how, changed, readMs };
    });
    if (info.changed > 0) this.scheduleSave();
    return { ...info, loadMs: performance.now() - t0 };
  }

  /** Reads these images and all their results again (inside sync's transaction); returns the read time. */
  private async reread(ids: string[], names: ReadonlyMap<string, string>): Promise<number> {
    const t = performance.now();
    const [images, results] = await Promise.all([this.db.images.bulkGet(ids), this.db.results.where('imageId').anyOf(ids).toArray()]);
    const ms = performance.now() - t;
    const newest = newestByImage(results);
    const gone: string[] = [];
    images.forEach((im, i) => {
      if (!im) return void gone.push(ids[i]);
      const row = rowOf(im, newest.get(im.id), names);
      const at = this.index.get(im.id);
      if (at === undefined) {
        this.index.set(im.id, this.rows.length);
        this.rows.push(row);
      } else {
        this.totalResults -= this.rows[at].nr;
        this.rows[at] = row;
      }
      this.totalResults += row.nr;
    });
    this.remove(gone);
    for (const id of ids) this.pendingVectors?.add(id);
    return ms;
  }

  private setRows(rows: FlatRow[]): void {
    this.rows = rows;
    this.index = new Map(rows.map((r, i) => [r.id, i]));
    this.totalResults = rows.reduce((s, r) => s + r.nr, 0);
    this.version++;
  }

  private remove(ids: string[]): void {
    const drop = new Set(ids.filter((id) => this.index.has(id)));
    if (drop.size) this.setRows(this.rows.filter((r) => !drop.has(r.id)));
  }

  /** "imported by <name>" follows profile renames. */
  private relabel(names: ReadonlyMap<string, string>): void {
    for (const r of this.rows) if (r.importer) r.creator = importedByLabel(r.importer, names);
  }

  /**
   * Recommendation candidates as the page built them from the library (src/pipeline/similar.ts before this moved
   * to the worker): newest first, metadata-only images left out, the image's last embedding in key order.
   */
  candidates(): CandidateRow[] {
    const vectors = this.embeddings;
    return this.rows
      .filter((r) => !r.metadataOnly)
      .sort((a, b) => b.addedAt - a.addedAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
      .map((r) => ({ id: r.id, name: r.name, vector: vectors.get(r.id)?.at(-1)?.vector ?? null, labels: r.labels, tag: r.tag || undefined }));
  }

  /** Embeddings per image (every model's, in key order), loaded on first use and kept up to date. */
  get embeddings(): ReadonlyMap<string, VectorEntry[]> {
    return this.vectors ?? new Map();
  }

  private async syncVectors(): Promise<number> {
    const db = this.db;
    let readMs = 0;
    const t = performance.now();
    if (!this.vectors || this.pendingVectors === null) {
      const all = await db.embeddings.toArray();
      readMs += performance.now() - t;
      this.vectors = new Map();
      for (const e of all) this.addVector(e.imageId, e.modelId, e.vector);
      this.vectorRows = all.length;
      this.pendingVectors = new Set();
      this.vectorVersion++;
      return readMs;
    }
    const reread = async (ids: string[]) => {
      if (!ids.length) return;
      const rows = await db.embeddings.where('imageId').anyOf(ids).toArray();
      for (const id of ids) {
        this.vectorRows -= this.vectors!.get(id)?.length ?? 0;
        this.vectors!.delete(id);
      }
      for (const e of rows) this.addVector(e.imageId, e.modelId, e.vector);
      this.vectorRows += rows.length;
      this.vectorVersion++;
    };
    await reread([...this.pendingVectors]);
    this.pendingVectors = new Set();
    if ((await db.embeddings.count()) !== this.vectorRows) {
      // Embeddings written or deleted with no change to images or results: compare primary keys (no values read).
      const per = new Map<string, number>();
      for (const [id] of await db.embeddings.toCollection().primaryKeys()) per.set(id, (per.get(id) ?? 0) + 1);
      const differ = new Set<string>();
      for (const [id, list] of this.vectors) if ((per.get(id) ?? 0) !== list.length) differ.add(id);
      for (const [id, c] of per) if ((this.vectors.get(id)?.length ?? 0) !== c) differ.add(id);
      await reread([...differ]);
    }
    readMs += performance.now() - t;
    return readMs;
  }

  private addVector(imageId: string, modelId: string, vector: Float32Array): void {
    const list = this.vectors!.get(imageId);
    // Key order [imageId+modelId], as IndexedDB returns them.
    if (list) {
      list.push({ modelId, vector });
      list.sort((a, b) => (a.modelId < b.modelId ? -1 : a.modelId > b.modelId ? 1 : 0));
    } else this.vectors!.set(imageId, [{ modelId, vector }]);
  }

  private scheduleSave(): void {
    if (!this.opts.persist) return;
    clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => void this.save(), this.opts.saveDelayMs);
  }

  /** Writes the snapshot now if one is due (and waits for a write in progress). */
  async flush(): Promise<void> {
    if (this.saveTimer !== undefined) {
      clearTimeout(this.saveTimer);
      this.saveTimer = undefined;
      await this.save();
    }
    await this.saving;
  }

  private save(): Promise<void> {
    this.saveTimer = undefined;
    const m = this.marks;
    if (!m) return this.saving;
    const row: SnapshotRow = { id: 'records', format: FORMAT, code: this.code, ...m, savedAt: Date.now(), data: encodeRows(this.rows) };
    this.saving = this.saving
      .then(() =>
        this.db.transaction('rw', [this.db.analyticsCache], async () => {
          // A restore (epoch bumped) since these rows were read: they are not worth keeping.
          if (Number((await this.db.analyticsCache.get('epoch'))?.value ?? 0) === m.epoch) await this.db.analyticsCache.put(row);
        }),
      )
      .catch(() => undefined);
    return this.saving;
  }
}

/** Logs deleted images for the analytics caches (call inside the deleting transaction, with db.analyticsCache in it). */
export async function recordDeletions(db: SightlineDB, ids: string[]): Promise<void> {
  const row = await db.analyticsCache.get('deleted');
  const log = [...((row?.ids as string[] | undefined) ?? []), ...ids].slice(-DELETED_KEEP);
  await db.analyticsCache.put({ id: 'deleted', seq: Number(row?.seq ?? 0) + ids.length, ids: log });
}

/** For writers that rewrite images or results in place with old timestamps (restoring a backup): every cache rebuilds. Call inside a transaction that includes db.analyticsCache. */
export async function invalidateAnalytics(db: SightlineDB): Promise<void> {
  const now = Number((await db.analyticsCache.get('epoch'))?.value ?? 0);
  await db.analyticsCache.bulkPut([{ id: 'epoch', value: now + 1 }]);
  await db.analyticsCache.delete('records');
}
