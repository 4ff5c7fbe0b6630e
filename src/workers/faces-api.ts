// The faces worker's typed contract (human + tfjs). Both sides import these types; neither imports the other.
import type { FaceBackendInfo, DetectedFace } from '../ml/faces/engine';
import type { FaceBackend } from '../ml/faces/config';
import type { SoftmaxModel } from '../shared/faces-classifier';
import type { Outcome } from './api';

export type { FaceBackendInfo, DetectedFace, FaceBackend };

export interface StillFace extends DetectedFace {
  crop: Blob;
}

export interface FaceStats {
  tensors: number;
  /** tfjs' own count of bytes held by tensors. */
  tensorBytes: number;
}

export interface FacesApi {
  /** `threads` > 1: tfjs' multi-threaded WASM (the bench compares; tfjs uses at most hardwareConcurrency / 2). */
  init(pref: FaceBackend | 'auto', origin: string, threads?: number): Promise<Outcome<FaceBackendInfo>>;
  /** A photo: `rgba` is the image scaled by `scale` (≤ 1); boxes come back in original pixels, with crops. */
  detectStill(rgba: Uint8ClampedArray, width: number, height: number, scale: number): Promise<Outcome<{ faces: StillFace[]; ms: number }>>;
  /** A video frame (transferred, closed here): human's frame caches on, no crops. */
  detectFrame(frame: ImageBitmap): Promise<Outcome<{ faces: DetectedFace[]; ms: number; stats: FaceStats }>>;
  train(samples: { label: string; descriptor: Float32Array }[]): Promise<Outcome<SoftmaxModel>>;
  stats(): Promise<FaceStats>;
  crash(): void;
}
