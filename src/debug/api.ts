// The ?debug contract between the page and the Node side (bench, scripts/batch.ts, e2e tests): one typed object
// on globalThis.__sightline, installed only when the page's URL has ?debug (src/debug/install.ts). The Node side
// imports these types (never the code) and reaches the object through debugApi(page) (scripts/lib/debug-api.ts).
import type { PageBench } from '../../bench/page/index';
import type { GalleryEnrolment } from '../pipeline/enrol';
import type { WatchLogEntry } from '../ui/files';
import type { BackendInfo } from '../workers/api';
import type { FaceBackendInfo, FaceStats } from '../workers/faces-api';

export type { BackendInfo, FaceBackendInfo, FaceStats, GalleryEnrolment, PageBench, WatchLogEntry };

export type WorkerName = 'image' | 'inference' | 'faces' | 'analytics';

export interface WorkerCounts {
  running: boolean;
  starts: number;
  /** Restarts after a crash or a hung call. */
  restarts: number;
}

/** The live Webcam view's counters. */
export interface WebcamSnapshot {
  running: boolean;
  fps: number;
  latencyMs: number;
  frames: number;
  dropped: number;
  tensors: number;
  heapBytes: number;
  faces: { name: string; box: [number, number, number, number] }[];
}

/** A classification's top labels and how many images shared its session.run. */
export interface BatchLabels {
  labels: { label: string; prob: number }[];
  batch?: number;
}

/** A file sent from Node (scripts/lib/debug-api.ts filesForPage): its name ('/'-separated path) and bytes. */
export interface SentFile {
  name: string;
  b64: string;
}

export interface DebugApi {
  /** Makes a worker die as a crashing decoder would; its owner restarts it on the next call. */
  crash(worker: 'image' | 'inference'): Promise<void>;
  /** Each worker's start and crash-restart counts (as Diagnostics shows them). */
  workers(): Record<WorkerName, WorkerCounts>;
  /** Starts the inference worker if needed and says which ONNX Runtime backend it chose. */
  backend(): Promise<BackendInfo>;
  /** Raw session.run timings in the real inference worker, after warming up for `warmupMs` (`batch` images per run). */
  benchmark(modelId: string, runs: number, warmupMs: number, batch?: number): Promise<number[]>;
  /**
   * Batched classification (not yet used by the runner): each file decoded as for classify, then one run for all,
   * and each file alone, so a test can compare the two.
   */
  classifyBatch(modelId: string, files: Blob[]): Promise<{ batched: BatchLabels[]; single: BatchLabels[] }>;
  clearLibrary(): Promise<void>;
  /** A folder batch, as "Choose a folder…" starts it (`paused`: started paused, for resume tests). */
  runFolder(dir: FileSystemDirectoryHandle, paused?: boolean): Promise<void>;
  /** Watches a folder, as the Watch panel does. */
  watch(dir: FileSystemDirectoryHandle): Promise<void>;
  watchLog(): WatchLogEntry[];
  webcam(): WebcamSnapshot;
  /** Writes the analytics worker's snapshot and stops it, as its idle timer does: the next query starts a fresh one. */
  stopAnalyticsWorker(): Promise<void>;
  faces: {
    info(): Promise<FaceBackendInfo>;
    stats(): Promise<FaceStats>;
    /** Enrols a gallery (`paths`: person/file.jpg) with the current recognition settings. */
    enrol(files: File[], paths: string[]): Promise<GalleryEnrolment>;
  };
  /** Files made in the page from what Node sent. */
  files(sent: SentFile[]): File[];
  /** Writes files into folder `folder` of the origin-private file system (a stand-in for a picked folder); returns it. */
  writeFolder(folder: string, sent: SentFile[]): Promise<FileSystemDirectoryHandle>;
  /** Bench and accuracy code (bench/page/), loaded on demand: the app itself never loads it. */
  bench(): Promise<PageBench>;
}

declare global {
  // Set by installDebugApi() under ?debug only.
  var __sightline: DebugApi | undefined;
}
