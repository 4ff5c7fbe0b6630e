// One human config for the faces worker. Only face detection (blazeface), alignment (facemesh) and the
// descriptor (faceres) run; everything is served from our origin. Stills turn human's frame caches off (every
// photo is new); video keeps them on, which is what makes live frames cheap.
import type { Config } from '@vladmandic/human';
import { HUMAN_MODELS_PATH, HUMAN_WASM_PATH } from '../../shared/faces-assets';

export type FaceBackend = 'webgpu' | 'webgl' | 'wasm';
export type FaceMode = 'still' | 'video';

/** Group photos: human's default is 1 face. */
export const MAX_FACES = 50;

export function humanConfig(backend: FaceBackend, origin: string, mode: FaceMode, minConfidence = 0.3): Partial<Config> {
  const still = mode === 'still';
  return {
    backend,
    modelBasePath: new URL(HUMAN_MODELS_PATH, origin).href,
    wasmPath: new URL(HUMAN_WASM_PATH, origin).href,
    debug: false,
    async: true,
    warmup: 'none',
    cacheModels: false, // the service worker caches the files; human's own IndexedDB copy would be a second one
    cacheSensitivity: still ? 0 : 0.7,
    skipAllowed: !still,
    filter: { enabled: false },
    face: {
      enabled: true,
      detector: {
        enabled: true,
        modelPath: 'blazeface.json',
        rotation: true,
        maxDetected: MAX_FACES,
        minConfidence,
        iouThreshold: 0.1,
        minSize: 0,
        return: false,
        skipFrames: still ? 0 : 10,
        skipTime: still ? 0 : 1000,
      },
      mesh: { enabled: true, modelPath: 'facemesh.json' },
      iris: { enabled: false },
      attention: { enabled: false },
      description: { enabled: true, modelPath: 'faceres.json', skipFrames: still ? 0 : 10, skipTime: still ? 0 : 1000 },
      emotion: { enabled: false },
      antispoof: { enabled: false },
      liveness: { enabled: false },
      gear: { enabled: false },
    },
    body: { enabled: false },
    hand: { enabled: false },
    object: { enabled: false },
    gesture: { enabled: false },
    segmentation: { enabled: false },
  } as Partial<Config>;
}
