// The faces engine inside the worker: one Human instance, its tfjs backend chosen WebGPU → WebGL → WASM (with
// the reason), detection on RGBA pixels with boxes mapped back to original pixels, face crops, tensor checks.
import { Human } from '@vladmandic/human';
import type { FaceResult } from '@vladmandic/human';
import { HUMAN_MODELS_PATH, HUMAN_WASM_PATH } from '../../shared/faces-assets';
import { normalize } from '../../shared/faces';
import { SightlineError } from '../../shared/types';
import { humanConfig, type FaceBackend, type FaceMode } from './config';

/** The models the faces stage needs (human's config names their .json; each has one .bin beside it). */
const FACE_MODELS = ['blazeface', 'facemesh', 'faceres'];
const OFFLINE_HINT =
  'are you offline? Face recognition works offline once its models are kept on this device (Offline → Make available offline, while online).';

/** Why `url` cannot be fetched (network error, HTTP status, an HTML page instead of the file), or null when it can. */
async function fetchProblem(url: string): Promise<string | null> {
  let res: Response;
  try {
    res = await fetch(url);
  } catch (e) {
    return `could not be downloaded (${(e as Error).message}); ${OFFLINE_HINT}`;
  }
  try {
    if (res.status === 404) return 'is not on the server (HTTP 404)';
    if (!res.ok) return `could not be downloaded (HTTP ${res.status})`;
    if ((res.headers.get('content-type') ?? '').includes('text/html')) return 'came back as an HTML page instead of the file';
    return null;
  } finally {
    await res.body?.cancel().catch(() => undefined);
  }
}

export interface FaceBackendInfo {
  backend: FaceBackend;
  reason: string;
  tfjsVersion: string;
  humanVersion: string;
  threads: number;
}

export interface DetectedFace {
  /** [x, y, w, h] in original-image pixels. */
  box: [number, number, number, number];
  score: number;
  descriptor: Float32Array;
}

async function webgpuUsable(): Promise<string | null> {
  const gpu = (
    navigator as Navigator & { gpu?: { requestAdapter(): Promise<{ info?: { vendor?: string; description?: string }; isFallbackAdapter?: boolean } | null> } }
  ).gpu;
  if (!gpu) return 'no navigator.gpu';
  try {
    const a = await gpu.requestAdapter();
    if (!a) return 'no WebGPU adapter';
    if (a.isFallbackAdapter) return 'WebGPU adapter is a software fallback';
    return null;
  } catch (e) {
    return `WebGPU adapter request failed (${(e as Error).message})`;
  }
}

/** WebGL on a software rasteriser (SwiftShader, llvmpipe) is far slower than WASM: skip it. */
function webglUsable(): string | null {
  try {
    const gl = new OffscreenCanvas(1, 1).getContext('webgl2');
    if (!gl) return 'no WebGL2 context';
    const ext = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = String(ext ? gl.getParameter(ext.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER));
    if (/swiftshader|llvmpipe|software/i.test(renderer)) return `WebGL is software-rendered (${renderer})`;
    return null;
  } catch (e) {
    return `WebGL unavailable (${(e as Error).message})`;
  }
}

export class FaceEngine {
  human: Human;
  info: FaceBackendInfo | null = null;

  constructor(private readonly origin: string) {
    this.human = new Human(humanConfig('wasm', origin, 'still'));
  }

  /** `threads` > 1 tries tfjs' multi-threaded WASM build (needs cross-origin isolation; see below). */
  async init(pref: FaceBackend | 'auto', threads = 1): Promise<FaceBackendInfo> {
    if (this.info) return this.info;
    const why: string[] = [];
    let backend: FaceBackend = 'wasm';
    if (pref === 'auto' || pref === 'webgpu') {
      const no = await webgpuUsable();
      if (!no) backend = 'webgpu';
      else why.push(no);
    }
    if (backend === 'wasm' && (pref === 'auto' || pref === 'webgl')) {
      const no = webglUsable();
      if (!no) backend = 'webgl';
      else why.push(no);
    }
    if (pref === 'wasm') why.push('WASM requested');
    this.human.config = { ...this.human.config, ...humanConfig(backend, this.origin, 'still') } as Human['config'];
    // Single-threaded unless ?facethreads=N (the bench). human's multi-threaded tfjs-wasm hung in a Vite build (its
    // pthread worker is rebuilt from minified code; scripts/lib/human-pthread-fix.ts fixes that), and tfjs caps its
    // thread pool at navigator.hardwareConcurrency / 2 whatever is asked: 1 on a 2-core machine (getThreadsCount).
    const tf = this.human.tf as Human['tf'] & { setThreadsCount?: (n: number) => void; getThreadsCount?: () => number };
    const threaded = threads > 1 && globalThis.crossOriginIsolated === true;
    if (threaded) tf.setThreadsCount?.(threads);
    else tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    // human logs a file it cannot fetch and goes on (no backend, or a model that is never loaded): turn that into
    // one clear error naming the file, at once, instead of a stage that finds no faces or never answers.
    await this.human.init();
    if (backend === 'wasm' && this.human.tf.getBackend() !== 'wasm') await this.missingWasm(threaded);
    await this.human.load();
    await this.missingModels();
    const actual = this.human.tf.getBackend() as FaceBackend;
    let count = 1;
    if (actual === 'wasm' && threaded) {
      try {
        count = tf.getThreadsCount?.() ?? 1;
      } catch {
        count = 1;
      }
    }
    const reason = actual === backend ? (why.length ? `${why.join('; ')} → ${actual}` : `${actual} available`) : `${backend} failed to start → ${actual}`;
    this.info = { backend: actual, reason, tfjsVersion: this.human.tf.version_core, humanVersion: this.human.version, threads: count };
    return this.info;
  }

  /** Throws model-missing when the tfjs wasm did not start because it could not be fetched. */
  private async missingWasm(threaded: boolean): Promise<void> {
    const tf = this.human.tf;
    const simd = await Promise.resolve(tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')).catch(() => true);
    const file = threaded ? 'tfjs-backend-wasm-threaded-simd.wasm' : simd ? 'tfjs-backend-wasm-simd.wasm' : 'tfjs-backend-wasm.wasm';
    const problem = await fetchProblem(new URL(HUMAN_WASM_PATH + file, this.origin).href);
    if (problem) throw new SightlineError('model-missing', `Face runtime ${file} ${problem}`);
  }

  /** Throws model-missing, naming the first file that cannot be fetched, when a face model did not load. */
  private async missingModels(): Promise<void> {
    const stats = this.human.models.stats().modelStats;
    const missing = FACE_MODELS.filter((m) => !stats.some((s) => s.name === m && s.loaded));
    if (!missing.length) return;
    for (const m of missing)
      for (const file of [`${m}.json`, `${m}.bin`]) {
        const problem = await fetchProblem(new URL(HUMAN_MODELS_PATH + file, this.origin).href);
        if (problem) throw new SightlineError('model-missing', `Face model ${file} ${problem}`);
      }
    throw new SightlineError('model-corrupt', `Face model${missing.length > 1 ? 's' : ''} ${missing.join(', ')} could not be loaded (see the console)`);
  }

  /** Faces in `rgba` (width×height, the image scaled by `scale`); boxes are returned in original pixels. */
  async detect(rgba: Uint8ClampedArray, width: number, height: number, scale: number, mode: FaceMode): Promise<DetectedFace[]> {
    const tf = this.human.tf;
    const input = tf.tidy(() => {
      const t = tf.tensor3d(rgba, [height, width, 4], 'int32');
      return tf.expandDims(tf.slice(t, [0, 0, 0], [height, width, 3]), 0);
    });
    try {
      const still = mode === 'still';
      const res = await this.human.detect(input, {
        cacheSensitivity: still ? 0 : 0.7,
        skipAllowed: !still,
        face: { detector: { skipFrames: still ? 0 : 10, skipTime: still ? 0 : 1000 }, description: { skipFrames: still ? 0 : 10, skipTime: still ? 0 : 1000 } },
      } as Partial<Human['config']>);
      if (res.error) throw new Error(res.error);
      return res.face.filter((f) => f.embedding && f.embedding.length > 0).map((f) => toFace(f, scale, width, height));
    } finally {
      tf.dispose(input);
    }
  }

  tensors(): number {
    return this.human.tf.engine().memory().numTensors;
  }
}

function toFace(f: FaceResult, scale: number, w: number, h: number): DetectedFace {
  const [x, y, bw, bh] = f.box;
  const x0 = Math.max(0, x);
  const y0 = Math.max(0, y);
  const x1 = Math.min(w, x + bw);
  const y1 = Math.min(h, y + bh);
  return {
    box: [x0 / scale, y0 / scale, (x1 - x0) / scale, (y1 - y0) / scale].map((v) => Math.round(v * 10) / 10) as DetectedFace['box'],
    score: Math.round((f.boxScore || f.score) * 1000) / 1000,
    descriptor: normalize(f.embedding!),
  };
}
