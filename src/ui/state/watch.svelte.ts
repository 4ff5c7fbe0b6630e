// A watched folder: new image files that appear in it are processed as they come (the seed's Spark file
// stream, in the browser). FileSystemObserver where the browser has it, polling every 2 s otherwise.
import type { BatchItem } from '../../pipeline/runner';
import type { ImageRecord, StageResult } from '../../shared/types';
import { filesFromDirectory, itemsFromFiles, type WatchLogEntry } from '../files';
import { engine, settings } from './engine';
import { library } from './library.svelte';
import { profiles } from './profiles.svelte';

type Observer = { observe(h: FileSystemDirectoryHandle, o: { recursive: boolean }): Promise<void>; disconnect(): void };

export class WatchState {
  dir = $state.raw<FileSystemDirectoryHandle | null>(null);
  log = $state.raw<WatchLogEntry[]>([]);
  mode = $state<'observer' | 'polling' | null>(null);
  busy = $state(false);
  private seen = new Set<string>();
  /** Path → signature at the last scan: a file is taken once it is unchanged across two scans. */
  private pending = new Map<string, string>();
  private timer: ReturnType<typeof setInterval> | undefined;
  private observer: Observer | null = null;
  private controller: AbortController | null = null;
  private again = false;

  /** Starts watching; files already in the folder are taken as the starting point (not processed). */
  async start(dir: FileSystemDirectoryHandle, includeExisting = false): Promise<void> {
    this.stop();
    this.dir = dir;
    this.log = [];
    this.seen = new Set(includeExisting ? [] : (await filesFromDirectory(dir)).map(key));
    this.pending.clear();
    this.controller = new AbortController();
    const Ctor = (globalThis as unknown as { FileSystemObserver?: new (cb: () => void) => Observer }).FileSystemObserver;
    if (Ctor) {
      try {
        this.observer = new Ctor(() => void this.scan());
        await this.observer.observe(dir, { recursive: true });
        this.mode = 'observer';
      } catch {
        this.observer = null;
      }
    }
    // Polling also backs up the observer, which may miss events (e.g. files written in place).
    this.mode ??= 'polling';
    this.timer = setInterval(() => void this.scan(), 2000);
    if (includeExisting) await this.scan();
  }

  stop(): void {
    clearInterval(this.timer);
    this.observer?.disconnect();
    this.observer = null;
    this.controller?.abort();
    this.controller = null;
    this.dir = null;
    this.mode = null;
  }

  private async scan(): Promise<void> {
    if (!this.dir || !this.controller) return;
    if (this.busy) return void (this.again = true);
    this.busy = true;
    try {
      const all = (await filesFromDirectory(this.dir)).filter((f) => !this.seen.has(key(f)));
      // A file still being copied in changes size or time between scans: wait until it holds still.
      const fresh = all.filter((f) => this.pending.get(f.name) === key(f));
      this.pending = new Map(all.map((f) => [f.name, key(f)]));
      fresh.forEach((f) => this.seen.add(key(f)));
      const { items } = itemsFromFiles(fresh, true);
      if (items.length) await this.process(items, this.controller.signal);
    } catch (e) {
      this.log = [{ path: this.dir?.name ?? '?', time: Date.now(), tags: '', error: `could not read the folder: ${(e as Error).message}` }, ...this.log];
    } finally {
      this.busy = false;
      if (this.again) {
        this.again = false;
        void this.scan();
      }
    }
  }

  private async process(items: BatchItem[], signal: AbortSignal): Promise<void> {
    const opts = {
      classifierId: settings.modelId === 'none' ? null : settings.modelId,
      detectorId: settings.detectorId,
      yolo: { scoreThreshold: settings.scoreThreshold, iouThreshold: settings.iouThreshold },
      importedBy: await profiles.importer(),
      faces: settings.faces ? settings.recognition : null,
    };
    const entry = (image: ImageRecord, results: StageResult[]): WatchLogEntry => {
      const c = results.find((r) => r.stage === 'classify');
      const d = results.find((r) => r.stage === 'detect');
      const f = results.find((r) => r.stage === 'faces');
      const people = f?.faces.map((x) => x.name ?? 'Unknown').join(', ');
      const tags = [
        c && `${c.labels[0]?.label} · ${c.tag.tag}`,
        d && `${d.objects.length} objects`,
        f && `${f.faces.length} faces${people ? ` (${people})` : ''}`,
      ]
        .filter(Boolean)
        .join(' · ');
      return { path: image.name, time: Date.now(), width: image.width, height: image.height, channels: image.facts?.channels, tags };
    };
    await engine.run(items, opts, signal, {
      onStored: (image, results) => (this.log = [entry(image, results), ...this.log].slice(0, 500)),
      onError: (e) => (this.log = [{ path: e.file, time: Date.now(), tags: '', error: `${e.code}: ${e.message}` }, ...this.log].slice(0, 500)),
    });
    await library.refresh();
  }
}

const key = (f: File) => `${f.name}|${f.size}|${f.lastModified}`;

export const watcher = new WatchState();
