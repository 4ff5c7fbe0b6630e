import { forgetJob, setJobState, startJob, unfinishedJob, type JobRow } from '../../db/jobs';
import type { BatchItem, BatchProgress, BatchSummary } from '../../pipeline/runner';
import type { FileError, FileNotice } from '../../shared/types';
import { enqueueForSync } from '../../sync/client';
import { filesFromDirectory, itemsFromFiles } from '../files';
import { engine, settings } from './engine';
import { library } from './library.svelte';
import { people } from './people.svelte';
import { profiles } from './profiles.svelte';

export class BatchState {
  progress = $state<BatchProgress | null>(null);
  errors = $state<FileError[]>([]);
  /** Files stored with a caveat (metadata only): reported, not failed. */
  notices = $state<FileNotice[]>([]);
  summary = $state<BatchSummary | null>(null);
  running = $state(false);
  paused = $state(false);
  /** Set when the whole batch could not run (e.g. the model is missing). */
  failure = $state<string | null>(null);
  /** A folder batch a reload interrupted, offered for resuming. */
  resumable = $state.raw<JobRow | null>(null);
  ignored = $state(0);
  /** True while a paused batch waits between files: everything before it is stored (the update flow waits for this). */
  parked = $state(false);
  private controller: AbortController | null = null;
  private reopen: (() => void) | null = null;
  private job: JobRow | null = null;

  readonly status = $derived(
    this.running ? (this.paused ? 'paused' : 'running') : this.failure ? 'failed' : this.summary ? (this.summary.cancelled ? 'cancelled' : 'done') : 'idle',
  );

  /** The running batch's signal (URL downloads started for it stop with it). */
  get signal(): AbortSignal | undefined {
    return this.controller?.signal;
  }

  async start(items: BatchItem[], opts: { job?: JobRow | null; paused?: boolean; errors?: FileError[] } = {}): Promise<void> {
    const { job = null, paused = false } = opts;
    if (this.running || (!items.length && !opts.errors?.length)) return;
    this.running = true;
    this.paused = paused;
    this.errors = opts.errors ?? [];
    this.notices = [];
    this.summary = null;
    this.failure = null;
    this.job = job;
    this.progress = { total: items.length, done: 0, failed: 0, skipped: 0, current: null, startedAt: Date.now(), etaMs: null };
    const controller = (this.controller = new AbortController());
    let lastRefresh = 0;
    try {
      const opts = {
        classifierId: settings.modelId === 'none' ? null : settings.modelId,
        detectorId: settings.detectorId,
        yolo: { scoreThreshold: settings.scoreThreshold, iouThreshold: settings.iouThreshold },
        importedBy: await profiles.importer(),
        faces: settings.faces ? settings.recognition : null,
      };
      this.summary = await engine.run(items, opts, controller.signal, {
        gate: () =>
          this.paused
            ? new Promise<void>((r) => {
                this.parked = true;
                this.reopen = () => {
                  this.parked = false;
                  r();
                };
              })
            : Promise.resolve(),
        onProgress: (p) => (this.progress = p),
        onError: (e) => (this.errors = [...this.errors, e]),
        onNotice: (n) => (this.notices = [...this.notices, n]),
        onStored: (image, results) => {
          void enqueueForSync(image, results);
          // Refresh the grid at most every 2 s during a batch: re-reading the library is not free.
          if (Date.now() - lastRefresh > 2000) {
            lastRefresh = Date.now();
            void library.refresh();
          }
        },
      });
      if (job) await setJobState(job.id, this.summary.cancelled ? 'cancelled' : 'done');
    } catch (e) {
      this.failure = (e as Error).message;
      if (job) await setJobState(job.id, 'interrupted');
    } finally {
      this.running = false;
      this.paused = false;
      this.parked = false;
      this.controller = null;
      this.job = null;
      await library.refresh();
      // New faces appear in People and in the detail view (names recomputed with the current gallery).
      if (settings.faces) await people.refresh();
    }
  }

  /** A folder through the File System Access API: remembered, so a reload can resume it. */
  async startFolder(dir: FileSystemDirectoryHandle, startPaused = false): Promise<void> {
    const { items, ignored } = itemsFromFiles(await filesFromDirectory(dir), true);
    this.ignored = ignored;
    const job = await startJob(dir, items.length);
    this.resumable = null;
    if (startPaused) await setJobState(job.id, 'paused');
    await this.start(items, { job, paused: startPaused });
  }

  async checkResumable(): Promise<void> {
    this.resumable = this.running ? null : ((await unfinishedJob()) ?? null);
  }

  /** Needs a user gesture: the browser asks again for read access to the folder after a reload. */
  async resume(): Promise<void> {
    const job = this.resumable;
    if (!job) return;
    const h = job.dir as FileSystemDirectoryHandle & { requestPermission?: (o: { mode: 'read' }) => Promise<PermissionState> };
    if (h.requestPermission && (await h.requestPermission({ mode: 'read' })) !== 'granted') {
      this.failure = `No permission to read the folder "${job.name}" any more.`;
      return;
    }
    this.resumable = null;
    const { items } = itemsFromFiles(await filesFromDirectory(job.dir), true);
    await setJobState(job.id, 'running');
    await this.start(items, { job });
  }

  async dismissResumable(): Promise<void> {
    if (this.resumable) await forgetJob(this.resumable.id);
    this.resumable = null;
  }

  pause(): void {
    if (!this.running) return;
    this.paused = true;
    if (this.job) void setJobState(this.job.id, 'paused');
  }

  resumePaused(): void {
    this.paused = false;
    if (this.job) void setJobState(this.job.id, 'running');
    this.reopen?.();
    this.reopen = null;
  }

  cancel(): void {
    this.controller?.abort();
    // A paused batch waits at its gate: open it so the runner sees the abort.
    this.paused = false;
    this.reopen?.();
    this.reopen = null;
  }
}

export const batch = new BatchState();
