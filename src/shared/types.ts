// Records stored in IndexedDB and passed between app, workers, batch command and server.
import type { ExifSummary, ImageFacts } from './metadata';
import type { TagResult } from './rules';

export interface Label {
  index: number;
  label: string;
  prob: number;
}

export interface ProductInfo {
  product_id: string;
  product_name: string;
  placeholder_image_url: string;
  local_image_path: string;
}

export type ImageSource =
  | { kind: 'file' }
  | { kind: 'folder'; path: string }
  | { kind: 'product-list'; product: ProductInfo; url?: string }
  /** From a URL list (CSV/TSV): every column of its row is kept (photographer, camera, location, …). */
  | { kind: 'url'; url: string; meta: Record<string, string> };

/** The local profile that was active when an image was imported: its id, and its name at that time. */
export interface ImportedBy {
  profileId: string;
  name: string;
}

export interface ImageRecord {
  /** SHA-256 of the file's bytes (hex): the same file added twice is one record. */
  id: string;
  name: string;
  bytes: number;
  format: string;
  /** Pixel size after EXIF orientation. */
  width: number;
  height: number;
  addedAt: number;
  source: ImageSource;
  /** Camera metadata (null: the file has none). Absent on records from before metadata extraction. */
  exif?: ExifSummary | null;
  facts?: ImageFacts;
  /**
   * The browser could not decode this format (HEIC, TIFF): only metadata is stored, with `note` saying why;
   * it has no facts, no model results and no embedding, and a stand-in thumbnail.
   */
  metadataOnly?: true;
  note?: string;
  /** Absent: imported with no profile on the device, or before importers were recorded. */
  importedBy?: ImportedBy;
}

export interface ClassificationResult {
  imageId: string;
  stage: 'classify';
  stageVersion: number;
  modelId: string;
  modelVersion: string;
  /** The 20 most probable classes; enough to re-derive tags for thresholds >= 0.05. */
  labels: Label[];
  tag: TagResult;
  backend: string;
  inferenceMs: number;
  createdAt: number;
}

export interface DetectedObject {
  /** Box in original-image pixels (after EXIF orientation). */
  x: number;
  y: number;
  width: number;
  height: number;
  classIndex: number;
  label: string;
  score: number;
}

export interface DetectionResult {
  imageId: string;
  stage: 'detect';
  stageVersion: number;
  modelId: string;
  modelVersion: string;
  objects: DetectedObject[];
  scoreThreshold: number;
  iouThreshold: number;
  backend: string;
  inferenceMs: number;
  createdAt: number;
}

/** A face found in a photo; its descriptor, crop and identity live in the faces table (see FaceRecord). */
export interface FaceBox {
  /** [x, y, width, height] in original-image pixels (after EXIF orientation). */
  box: [number, number, number, number];
  score: number;
  /**
   * Who it is (null: Unknown): recognised when stored, and brought up to date by the People view whenever the
   * gallery, a confirmation, a name or the threshold changes (analytics and library filters read this).
   */
  name?: string | null;
  personId?: string | null;
  /** Distance (method 1) or 1 − confidence (method 2) behind `name`. */
  distance?: number;
}

export interface FacesResult {
  imageId: string;
  stage: 'faces';
  stageVersion: number;
  modelId: string;
  modelVersion: string;
  faces: FaceBox[];
  /** How names were given when stored: the method actually used and its threshold (max distance / min confidence). */
  recognition?: { method: 'distance' | 'classifier'; threshold: number };
  backend: string;
  inferenceMs: number;
  createdAt: number;
}

export type StageResult = ClassificationResult | DetectionResult | FacesResult;

/** Who a face is: set by a person (confirmed, never changed by any automatic step) or not at all. */
export interface FaceRecord {
  /** `${imageId}#${index}` for faces in library photos; a random id for webcam captures. */
  id: string;
  /** The photo it was found in; null for webcam enrolment captures. */
  imageId: string | null;
  index: number;
  box: [number, number, number, number];
  score: number;
  /** L2-normalised descriptor (1024 floats for faceres). */
  descriptor: Float32Array;
  modelId: string;
  crop: Blob;
  /** Confirmed identity (enrolment, naming a suggestion, assigning by hand); null: recognised automatically or Unknown. */
  personId: string | null;
  /** The user dismissed this face from "suggested people". */
  dismissed?: boolean;
  source: 'photo' | 'gallery' | 'webcam';
  createdAt: number;
}

export interface PersonRecord {
  id: string;
  name: string;
  createdAt: number;
}

/** A recognised person seen by the live webcam view (when recording is on). */
export interface SightingRecord {
  id?: number;
  personId: string | null;
  name: string;
  distance: number;
  at: number;
}

export type ErrorCode =
  | 'empty-file'
  | 'not-an-image'
  | 'unsupported-format'
  | 'corrupt-header'
  | 'truncated'
  | 'too-many-pixels'
  | 'file-too-large'
  | 'bad-url'
  | 'http-error'
  | 'download-failed'
  | 'decode-failed'
  | 'worker-crashed'
  | 'timeout'
  | 'model-missing'
  | 'model-corrupt'
  | 'inference-failed'
  | 'storage-failed'
  | 'cancelled';

/** An error with a stable code and a message a person can act on. */
export class SightlineError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'SightlineError';
  }
}

export interface FileError {
  file: string;
  code: ErrorCode;
  message: string;
}

/** Something to know about a file that was stored anyway (not a failure). */
export interface FileNotice {
  file: string;
  code: 'metadata-only';
  message: string;
}
