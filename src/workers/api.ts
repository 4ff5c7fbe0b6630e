// The typed contracts of the workers. Both sides import these types; neither imports the other.
import type { InputSpec, ModelEntry } from '../shared/manifest';
import type { DetectedObject, ErrorCode, Label } from '../shared/types';
import type { Aggregates, Filters } from '../shared/aggregate';
import type { ExifSummary, ImageFacts } from '../shared/metadata';
import type { YoloOptions } from '../ml/yolo';
import type { ImageLimits } from '../ml/image/sniff';
import type { Geometry } from '../ml/preprocess';

/** Errors cross the worker boundary as values: comlink would drop an Error's code. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; code: ErrorCode; message: string };

export interface PreparedImage {
  sha256: string;
  format: string;
  bytes: number;
  width: number;
  height: number;
  thumb: Blob;
  /** One model input per requested resize spec, in the same order. */
  inputs: { rgba: Uint8ClampedArray; geometry: Geometry }[];
  exif: ExifSummary | null;
  /** Absent for a metadata-only image (no pixels to compute them from). */
  facts?: ImageFacts;
  decodeMs: number;
  /**
   * Set when the format is recognised but the browser cannot decode it (HEIC, TIFF): the note saying so.
   * Such an image has no model inputs and only its metadata is stored.
   */
  metadataOnly?: string;
}

export interface ImageApi {
  prepare(file: Blob, resizes: InputSpec[], limits?: ImageLimits): Promise<Outcome<PreparedImage>>;
  /** Test hook: makes the worker die as a crashing decoder would. */
  crash(): void;
}

export type BackendPreference = 'auto' | 'webgpu' | 'wasm';

export interface BackendInfo {
  backend: 'webgpu' | 'wasm';
  threads: number;
  reason: string;
  crossOriginIsolated: boolean;
  webgpuAdapter: string | null;
  ortVersion: string;
}

export interface LoadedModel {
  id: string;
  version: string;
  bytes: number;
  loadMs: number;
  inputNames: readonly string[];
  outputNames: readonly string[];
}

export interface Classification {
  labels: Label[];
  features: Float32Array | null;
  /** This image's share of the run: the run's time ÷ the images in it. */
  inferenceMs: number;
  /** Images in the run that produced this result (1 unless classifyBatch was used). */
  batch?: number;
}

export interface Detections {
  objects: DetectedObject[];
  inferenceMs: number;
}

export interface InferenceApi {
  init(pref: BackendPreference, threads?: number): Promise<BackendInfo>;
  loadModel(entry: ModelEntry, modelUrl: string, labelsUrl: string, labelsColumn: string): Promise<Outcome<LoadedModel>>;
  classify(modelId: string, rgba: Uint8ClampedArray, topK: number): Promise<Outcome<Classification>>;
  /** N images in one session.run ([N, C, H, W]; N ≤ the manifest's input.maxBatch): one result per image, in order. */
  classifyBatch(modelId: string, images: Uint8ClampedArray[], topK: number): Promise<Outcome<Classification[]>>;
  /** Boxes come back in original-image pixels: `geometry` maps input pixels back, `size` clips. */
  detect(
    modelId: string,
    rgba: Uint8ClampedArray,
    geometry: Geometry,
    size: { width: number; height: number },
    opts: YoloOptions,
  ): Promise<Outcome<Detections>>;
  /** Raw session.run timings on a fixed input of `batch` images (benchmarks), after warming up for `warmupMs`. */
  benchmark(modelId: string, runs: number, warmupMs: number, batch?: number): Promise<number[]>;
  crash(): void;
}

export interface Clustering {
  k: number;
  /** Cluster of each vector, in input order. */
  assign: number[];
  /** PCA 2-D coordinates of each vector. */
  points: [number, number][];
  explained: [number, number];
  ms: number;
  /** k was chosen by silhouette. */
  auto: boolean;
  /** Where `ms` went: choosing k (k-means and silhouette for k = 2..8, of which silhouette), the final k-means, PCA. */
  timings: { chooseKMs: number; chooseKSilhouetteMs: number; kmeansMs: number; iterations: number; pcaMs: number };
}

/** How the worker brought its copy of the library up to date before answering (see src/db/analytics-cache.ts). */
export interface LoadTimings {
  /** cached: nothing changed; delta: only the changed images read; snapshot: a fresh worker started from the persisted rows; full: everything read. */
  how: 'cached' | 'delta' | 'snapshot' | 'full';
  /** Images read again (the library size for a full read). */
  changed: number;
  /** The change check, reads and flattening; readMs of it reading IndexedDB. */
  loadMs: number;
  readMs: number;
}

export interface ProfileSignalsInput {
  liked: string[];
  hidden: string[];
  seen: string[];
}

export interface RecommendationsResult extends LoadTimings {
  recs: { id: string; score: number; because: string }[];
  /** Candidates compared (images with labels or an embedding), and the time preparing (centring) and scoring took. */
  n: number;
  prepareMs: number;
  computeMs: number;
}

export interface SimilarResult extends LoadTimings {
  similar: { id: string; similarity: number }[];
  prepareMs: number;
  computeMs: number;
}

export interface AnalyticsApi {
  /** Every chart's counts for the filters, computed in the worker from its copy of the library (kept up to date from IndexedDB). */
  aggregate(filters: Filters): Promise<Aggregates & LoadTimings & { queryMs: number }>;
  /** `flat` holds n vectors of `dim` floats; k null chooses k by silhouette (2..8). */
  cluster(flat: Float32Array, dim: number, k: number | null): Promise<Clustering>;
  /** Clusters of the stored embeddings (one model's: the first in key order), read by the worker; null: fewer than 3. */
  clusterLibrary(k: number | null): Promise<(Clustering & LoadTimings & { ids: string[] }) | null>;
  /** Recommendations for a profile's signals over the stored library (embeddings read by the worker). */
  recommend(signals: ProfileSignalsInput, k: number): Promise<RecommendationsResult>;
  /** The k images most similar to one (embedding + label overlap). */
  similar(imageId: string, k: number): Promise<SimilarResult>;
  /** Writes the persisted copy of the flat records now if one is due (benchmarks and tests, before stopping the worker). */
  flush(): Promise<void>;
}
