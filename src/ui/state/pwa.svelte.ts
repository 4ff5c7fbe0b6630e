// Installed-app state: service worker (offline readiness, updates), install prompt, online/offline,
// storage (persistence, usage/quota) and the offline copies of models and the ONNX Runtime wasm.
import {
  downloadItems,
  cachedKeys,
  faceItems,
  FACES_KEY,
  loadPwaAssets,
  modelItems,
  removeItem,
  runtimeItems,
  type DownloadProgress,
  type OfflineItem,
} from '../../pwa/offline-models';
import { registerServiceWorker, swSupported, type SwHandle } from '../../pwa/register';
import { onLaunchFiles, SHARE_PARAM, takeSharedFiles } from '../../pwa/share';
import { requestPersistence, storageInfo, type PersistResult, type StorageInfo } from '../../pwa/storage';
import type { PwaAssets } from '../../pwa/sw-shared';
import { safeToReload, type UpdateMode } from '../../pwa/update-gate';
import { APP_VERSION } from '../../pwa/version';
import { itemsFromFiles } from '../files';
import { batch } from './batch.svelte';
import { engine, settings } from './engine';

interface BeforeInstallPromptEvent extends Event {
  prompt(): Promise<void>;
  readonly userChoice: Promise<{ outcome: 'accepted' | 'dismissed' }>;
}

type SwStatus = 'unsupported' | 'dev' | 'registering' | 'ready' | 'failed';
type UpdatePhase = 'idle' | 'after-batch' | 'pausing' | 'reloading';

const ENABLED_KEY = 'sightline.offline.enabled';
/** The switches offered when ENABLED_KEY was saved: one added since (e.g. the face models) starts on. */
const KNOWN_KEY = 'sightline.offline.known';
const UPDATE_CHECK_MS = 30 * 60_000;
const READY_NOTICE_MS = 10_000;
const INSTALL_DISMISSED_KEY = 'sightline.install.dismissed';

function loadEnabled(all: string[]): Set<string> {
  try {
    const saved = JSON.parse(localStorage.getItem(ENABLED_KEY) ?? 'null') as string[] | null;
    const known = JSON.parse(localStorage.getItem(KNOWN_KEY) ?? 'null') as string[] | null;
    if (Array.isArray(saved)) return new Set(all.filter((k) => saved.includes(k) || (Array.isArray(known) ? !known.includes(k) : k === FACES_KEY)));
  } catch {
    /* defaults below */
  }
  return new Set(all);
}

export class PwaState {
  readonly version = APP_VERSION;
  online = $state(typeof navigator === 'undefined' ? true : navigator.onLine);
  sw = $state<SwStatus>('registering');
  swError = $state<string | null>(null);
  /** App shell cached and a service worker active: the app opens offline. */
  offlineReady = $state(false);
  /** Shown once, when this visit made the app available offline. */
  readyNotice = $state(false);
  updateWaiting = $state(false);
  updatePhase = $state<UpdatePhase>('idle');
  updatedElsewhere = $state(false);
  checking = $state(false);
  checkResult = $state<string | null>(null);
  installEvent = $state.raw<BeforeInstallPromptEvent | null>(null);
  installed = $state(false);
  /** "Not now" on the install notice (remembered; the Offline view still offers Install). */
  installDismissed = $state(false);
  readonly ios: boolean;
  storage = $state<StorageInfo | null>(null);
  persist = $state<PersistResult | null>(null);
  sharedNote = $state<string | null>(null);

  /** Models offered in the app (not the optional ones), the face models, then the runtime binaries. */
  items = $state.raw<OfflineItem[]>([]);
  cached = $state.raw<Set<string>>(new Set());
  enabled = $state.raw<Set<string>>(new Set());
  progress = $state<DownloadProgress | null>(null);
  downloading = $state(false);
  /** Per-item messages of the last download: key → error. */
  failures = $state.raw<Map<string, string>>(new Map());
  downloadNote = $state<string | null>(null);

  private handle: SwHandle | null = null;
  private started = false;

  /** Checked models, and the runtimes they need (the ORT wasm always; the tfjs wasm with the face models). */
  readonly enabledItems = $derived(this.items.filter((i) => (i.kind === 'runtime' ? !i.requires || this.enabled.has(i.requires) : this.enabled.has(i.key))));
  readonly enabledBytes = $derived(this.enabledItems.reduce((a, i) => a + i.size, 0));
  readonly cachedBytes = $derived(this.items.filter((i) => this.cached.has(i.key)).reduce((a, i) => a + i.size, 0));
  readonly allEnabledCached = $derived(this.enabledItems.length > 0 && this.enabledItems.every((i) => this.cached.has(i.key)));

  constructor() {
    const ua = typeof navigator === 'undefined' ? '' : navigator.userAgent;
    this.ios = /iPad|iPhone|iPod/.test(ua) || (/Macintosh/.test(ua) && typeof navigator !== 'undefined' && navigator.maxTouchPoints > 1);
  }

  init(): void {
    if (this.started) return;
    this.started = true;
    addEventListener('online', () => {
      this.online = true;
      void this.checkForUpdate(true);
    });
    addEventListener('offline', () => (this.online = false));
    addEventListener('beforeinstallprompt', (e) => {
      e.preventDefault(); // our Install button shows the prompt
      this.installEvent = e as BeforeInstallPromptEvent;
    });
    addEventListener('appinstalled', () => {
      this.installed = true;
      this.installEvent = null;
    });
    this.installDismissed = localStorage.getItem(INSTALL_DISMISSED_KEY) === '1';
    const standalone = matchMedia('(display-mode: standalone)');
    this.installed = standalone.matches || (navigator as Navigator & { standalone?: boolean }).standalone === true;
    standalone.addEventListener('change', (e) => (this.installed = e.matches));

    if (import.meta.env.DEV) this.sw = 'dev';
    else if (!swSupported()) this.sw = 'unsupported';
    else {
      const controlledAtLoad = !!navigator.serviceWorker.controller;
      this.handle = registerServiceWorker({
        ready: () => {
          if (!controlledAtLoad) {
            this.readyNotice = true;
            setTimeout(() => (this.readyNotice = false), READY_NOTICE_MS);
          }
          this.offlineReady = true;
          this.sw = 'ready';
          void this.refreshOffline();
        },
        updateWaiting: () => (this.updateWaiting = true),
        controllerChanged: (requestedHere) => {
          if (requestedHere) location.reload();
          else this.updatedElsewhere = true;
        },
        failed: (m) => {
          this.sw = 'failed';
          this.swError = m;
        },
      });
      setInterval(() => void this.checkForUpdate(true), UPDATE_CHECK_MS);
      document.addEventListener('visibilitychange', () => document.visibilityState === 'visible' && void this.checkForUpdate(true));
    }

    const all = engine.manifest.models.filter((m) => !m.optional);
    this.enabled = loadEnabled([...all.map((m) => m.id), FACES_KEY]);
    this.items = modelItems(all);
    void this.loadRuntimeItems();
    void this.refreshStorage();
    void this.receiveShared();
    onLaunchFiles((files) => this.addFiles(files, 'opened with Sightline'));
    if (this.installed) void this.requestPersist();
  }

  private assets: PwaAssets | null = null;

  /**
   * The face models and the wasm this device runs (from the build's pwa-assets.json): the ORT WebGPU build's
   * too once the inference worker has chosen WebGPU, and the tfjs wasm the faces worker loads.
   */
  async loadRuntimeItems(): Promise<void> {
    this.assets ??= await loadPwaAssets();
    const webgpu = settings.backend !== 'wasm' && engine.inference.backend?.backend === 'webgpu';
    const faces = faceItems(this.assets);
    this.items = [
      ...this.items.filter((i) => i.kind === 'model'),
      ...faces.filter((i) => i.kind === 'faces'),
      ...runtimeItems(this.assets, webgpu),
      ...faces.filter((i) => i.kind === 'runtime'),
    ];
    await this.refreshOffline();
  }

  private addFiles(files: File[], how: string): void {
    if (!files.length) return;
    if (batch.running) {
      this.sharedNote = `${files.length} image(s) ${how} were not added: a batch is running. Add them again when it is done.`;
      return;
    }
    this.sharedNote = `${files.length} image(s) ${how}.`;
    void batch.start(itemsFromFiles(files, false).items);
  }

  private async receiveShared(): Promise<void> {
    const url = new URL(location.href);
    const id = url.searchParams.get(SHARE_PARAM);
    if (!id) return;
    url.searchParams.delete(SHARE_PARAM);
    history.replaceState(history.state, '', url.pathname + url.search + url.hash);
    this.addFiles(await takeSharedFiles(id), 'shared with Sightline');
  }

  async refreshStorage(): Promise<void> {
    this.storage = await storageInfo().catch(() => null);
  }

  async refreshOffline(): Promise<void> {
    this.cached = await cachedKeys(this.items).catch(() => new Set<string>());
  }

  async requestPersist(): Promise<PersistResult> {
    this.persist = await requestPersistence().catch(() => 'unsupported' as const);
    await this.refreshStorage();
    return this.persist;
  }

  setEnabled(key: string, on: boolean): void {
    const next = new Set(this.enabled);
    if (on) next.add(key);
    else next.delete(key);
    this.enabled = next;
    localStorage.setItem(ENABLED_KEY, JSON.stringify([...next]));
    localStorage.setItem(KNOWN_KEY, JSON.stringify(this.items.filter((i) => i.kind !== 'runtime').map((i) => i.key)));
  }

  /** Downloads every enabled model and the runtime wasm into Cache Storage, with progress. */
  async makeAvailableOffline(): Promise<void> {
    if (this.downloading) return;
    this.downloading = true;
    this.failures = new Map();
    this.downloadNote = null;
    try {
      void this.requestPersist();
      const results = await downloadItems(this.enabledItems, (p) => (this.progress = p));
      this.failures = new Map(results.filter((r) => !r.ok).map((r) => [r.key, r.error ?? 'failed']));
      this.downloadNote = this.failures.size
        ? `${this.failures.size} of ${results.length} could not be made available offline.`
        : `All ${results.length} files are available offline.`;
    } catch (e) {
      this.downloadNote = `Download failed: ${(e as Error).message}`;
    } finally {
      this.downloading = false;
      await Promise.all([this.refreshOffline(), this.refreshStorage()]);
    }
  }

  async remove(item: OfflineItem): Promise<void> {
    await removeItem(item);
    await Promise.all([this.refreshOffline(), this.refreshStorage()]);
  }

  async checkForUpdate(quiet = false): Promise<void> {
    if (!this.handle || !navigator.onLine || this.checking) return;
    this.checking = true;
    if (!quiet) this.checkResult = null;
    try {
      await this.handle.checkForUpdate();
      if (!quiet && !this.updateWaiting) this.checkResult = 'Checked: no new version yet (an update that is downloading shows up here when ready).';
    } catch (e) {
      if (!quiet) this.checkResult = `Could not check for updates: ${(e as Error).message}`;
    } finally {
      this.checking = false;
    }
  }

  /** Reloads into the new version once no batch is mid-file: after the batch, or paused between files now. */
  async applyUpdate(mode: UpdateMode = 'after-batch'): Promise<void> {
    if (this.updatePhase !== 'idle' && !(this.updatePhase === 'after-batch' && mode === 'pause-now')) return;
    this.updatePhase = batch.running ? (mode === 'pause-now' ? 'pausing' : 'after-batch') : 'reloading';
    await safeToReload(batch, mode);
    this.updatePhase = 'reloading';
    if (this.updateWaiting && !this.updatedElsewhere && this.handle) {
      this.handle.activateWaiting();
      // The new worker normally takes over within a second; reload anyway if it does not say so.
      setTimeout(() => location.reload(), 10_000);
    } else location.reload();
  }

  dismissInstall(): void {
    this.installDismissed = true;
    localStorage.setItem(INSTALL_DISMISSED_KEY, '1');
  }

  async install(): Promise<void> {
    const e = this.installEvent;
    if (!e) return;
    await e.prompt();
    const { outcome } = await e.userChoice;
    if (outcome === 'accepted') this.installed = true;
    this.installEvent = null;
  }
}

export const pwa = new PwaState();
