// "Make available offline": downloads model weights, the ONNX Runtime wasm, the face models (human) and the
// tfjs wasm into Cache Storage, with progress, checking each model's size and sha256 before keeping it (the same
// check the service worker makes when it caches a file on first use, and the inference worker makes again when
// it loads a model).
import { HUMAN_MODELS_PATH, HUMAN_VERSION } from '../shared/faces-assets';
import type { ModelEntry } from '../shared/manifest';
import {
  BYPASS_HEADER,
  HUMAN_CACHE,
  ISOLATION,
  MODEL_CACHE,
  PWA_ASSETS_PATH,
  WASM_CACHE,
  cachedHumanResponse,
  cachedModelResponse,
  humanFileProblem,
  isCurrentHumanFile,
  isCurrentModel,
  isHtml,
  isHumanPath,
  modelPath,
  modelProblem,
  type HumanFile,
  type ModelFileInfo,
  type PwaAssets,
} from './sw-shared';
import { isQuotaError } from '../shared/quota';
import { quotaMessage, storageInfo } from './storage';

export interface OfflineItem {
  /** Model id, `faces:<model>` for the face models, or `runtime:<name>` for a wasm binary. */
  key: string;
  name: string;
  /** model: an ONNX model; faces: the face models (several files, one switch); runtime: a wasm binary. */
  kind: 'model' | 'faces' | 'runtime';
  /** The file (or, for several files, the folder they are in). */
  path: string;
  /** Bytes in all, of every file. */
  size: number;
  model?: ModelFileInfo;
  /** Files under /human/ (face models, tfjs wasm), each checked by size and sha256 before it is kept. */
  files?: HumanFile[];
  /** A runtime only needed with this item (the tfjs wasm runs only the face models): downloaded with it. */
  requires?: string;
}

export interface DownloadProgress {
  loaded: number;
  total: number;
  current: string | null;
}

export interface DownloadResult {
  key: string;
  ok: boolean;
  error?: string;
}

/** The current build's wasm URLs (precached, so this works offline too); null in the dev server. */
export async function loadPwaAssets(): Promise<PwaAssets | null> {
  try {
    const res = await fetch(PWA_ASSETS_PATH);
    if (!res.ok || isHtml(res)) return null;
    return (await res.json()) as PwaAssets;
  } catch {
    return null;
  }
}

export function modelItems(models: ModelEntry[]): OfflineItem[] {
  return models.map((m) => ({ key: m.id, name: m.name, kind: 'model', path: modelPath(m.file), size: m.size, model: m }));
}

/** The wasm the WASM backend runs, plus the WebGPU build's when this device would use WebGPU. */
export function runtimeItems(assets: PwaAssets | null, webgpu: boolean): OfflineItem[] {
  if (!assets) return [];
  return Object.entries(assets.wasm)
    .filter(([name]) => webgpu || !name.includes('asyncify'))
    .map(([name, w]) => ({
      key: `runtime:${name}`,
      name: name.includes('asyncify') ? 'ONNX Runtime (WebGPU build)' : 'ONNX Runtime (WASM)',
      kind: 'runtime',
      path: w.path,
      size: w.size,
    }));
}

const FACE_MODELS = ['blazeface', 'facemesh', 'faceres'];
/** The face models' switch in the Offline view (one for all three: each is useless without the others). */
export const FACES_KEY = `faces:human-${HUMAN_VERSION}`;

/** WebAssembly SIMD (a v128 instruction validates): tfjs then loads its SIMD build. */
function wasmSimd(): boolean {
  try {
    return WebAssembly.validate(
      new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11]),
    );
  } catch {
    return false;
  }
}

/**
 * The face models (blazeface finds, facemesh aligns, faceres describes) as one switch, and the tfjs wasm the
 * faces worker loads with them (single-threaded: SIMD build, or the plain one without SIMD); empty in the dev
 * server, which has no pwa-assets.json.
 */
export function faceItems(assets: PwaAssets | null, simd = wasmSimd()): OfflineItem[] {
  const human = assets?.human;
  if (!human) return [];
  const models = human.files.filter((f) => f.path.startsWith(HUMAN_MODELS_PATH));
  const key = FACES_KEY;
  const out: OfflineItem[] = [];
  if (models.length)
    out.push({
      key,
      name: `Faces (human ${human.human}): ${FACE_MODELS.filter((m) => models.some((f) => f.path.endsWith(`/${m}.json`))).join(', ')}`,
      kind: 'faces',
      path: HUMAN_MODELS_PATH,
      size: models.reduce((a, f) => a + f.size, 0),
      files: models,
    });
  const wasm = human.files.find((f) => f.path.endsWith(simd ? '/tfjs-backend-wasm-simd.wasm' : '/tfjs-backend-wasm.wasm'));
  if (wasm)
    out.push({
      key: `runtime:${wasm.path
        .split('/')
        .pop()!
        .replace(/\.wasm$/, '')}`,
      name: `TensorFlow.js ${human.tfjs} (WASM, for faces)`,
      kind: 'runtime',
      path: wasm.path,
      size: wasm.size,
      files: [wasm],
      requires: models.length ? key : undefined,
    });
  return out;
}

/** One file to keep: where it goes and what it must be. */
interface OfflineFile {
  path: string;
  size: number;
  cache: string;
  model?: ModelFileInfo;
  human?: HumanFile;
}

function filesOf(item: OfflineItem): OfflineFile[] {
  if (item.files) return item.files.map((f) => ({ path: f.path, size: f.size, cache: HUMAN_CACHE, human: f }));
  return [
    { path: item.path, size: item.size, cache: item.kind === 'model' ? MODEL_CACHE : isHumanPath(item.path) ? HUMAN_CACHE : WASM_CACHE, model: item.model },
  ];
}

/** Which items are in Cache Storage now: every file, a model or /human/ file only if verified against this build's sha256. */
export async function cachedKeys(items: OfflineItem[]): Promise<Set<string>> {
  const out = new Set<string>();
  if (typeof caches === 'undefined') return out;
  const open = new Map<string, Cache>();
  const cache = async (name: string) => open.get(name) ?? open.set(name, await caches.open(name)).get(name)!;
  for (const item of items) {
    let all = true;
    for (const f of filesOf(item)) {
      const hit = await (await cache(f.cache)).match(f.path);
      if (!(f.model ? isCurrentModel(hit, f.model) : f.human ? isCurrentHumanFile(hit, f.human) : !!hit)) {
        all = false;
        break;
      }
    }
    if (all) out.add(item.key);
  }
  return out;
}

export async function removeItem(item: OfflineItem): Promise<void> {
  for (const f of filesOf(item)) await (await caches.open(f.cache)).delete(f.path);
}

async function fetchBytes(item: OfflineFile, signal: AbortSignal | undefined, onBytes: (n: number) => void): Promise<{ bytes: ArrayBuffer; res: Response }> {
  let res: Response;
  try {
    // The header tells the service worker to pass this through: the bytes are checked and cached below.
    res = await fetch(item.path, { headers: { [BYPASS_HEADER]: '1' }, cache: 'no-store', signal });
  } catch (e) {
    if (signal?.aborted) throw e;
    throw new Error(`could not download it (${(e as Error).message}); are you offline?`, { cause: e });
  }
  if (!res.ok) throw new Error(res.status === 404 ? 'it is not on the server (HTTP 404)' : `the server answered HTTP ${res.status}`);
  if (isHtml(res)) throw new Error('the server answered with an HTML page instead of the file');
  const buf = new Uint8Array(item.size);
  let at = 0;
  const reader = res.body!.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (at + value.byteLength > buf.length) {
      await reader.cancel();
      throw new Error(`it is larger than the expected ${item.size} bytes`);
    }
    buf.set(value, at);
    at += value.byteLength;
    onBytes(value.byteLength);
  }
  if (at !== item.size) throw new Error(`it is ${at} bytes, expected ${item.size} (incomplete download)`);
  return { bytes: buf.buffer, res };
}

/**
 * Downloads every item not cached yet, one after the other. Stops at a full quota (the next ones would fail
 * the same way); other failures are reported per item and the rest go on.
 */
export async function downloadItems(items: OfflineItem[], onProgress: (p: DownloadProgress) => void, signal?: AbortSignal): Promise<DownloadResult[]> {
  const have = await cachedKeys(items);
  const todo = items.filter((i) => !have.has(i.key));
  const results: DownloadResult[] = items.filter((i) => have.has(i.key)).map((i) => ({ key: i.key, ok: true }));
  const total = todo.reduce((a, i) => a + i.size, 0);
  let loaded = 0;
  onProgress({ loaded, total, current: null });
  const info = await storageInfo();
  if (info && info.quota && total > info.quota - info.usage) {
    const msg = quotaMessage(todo.length === 1 ? todo[0].name : `${todo.length} files`, total, info);
    return [...results, ...todo.map((i) => ({ key: i.key, ok: false, error: msg }))];
  }
  for (const [n, item] of todo.entries()) {
    if (signal?.aborted) break;
    onProgress({ loaded, total, current: item.name });
    const start = loaded;
    try {
      let full = false;
      for (const file of filesOf(item)) {
        const several = (item.files?.length ?? 1) > 1;
        const { bytes, res } = await fetchBytes(file, signal, (k) => {
          loaded += k;
          onProgress({ loaded, total, current: item.name });
        }).catch((e: unknown) => {
          // Name the file when the item has several (face models: json + bin each).
          throw several && !signal?.aborted ? new Error(`${file.path.split('/').pop()}: ${(e as Error).message}`, { cause: e }) : e;
        });
        const problem = file.model ? await modelProblem(file.model, bytes) : file.human ? await humanFileProblem(file.human, bytes) : null;
        if (problem) throw new Error(`the download is not the ${file.model ? 'model in the manifest' : 'file this version expects'}: ${problem}`);
        const cached = file.model
          ? cachedModelResponse(file.model, bytes, res)
          : file.human
            ? cachedHumanResponse(file.human, bytes, res)
            : new Response(bytes, { status: 200, headers: withHeaders(res.headers) });
        try {
          await (await caches.open(file.cache)).put(file.path, cached);
        } catch (e) {
          if (!isQuotaError(e)) throw e;
          full = true;
          break;
        }
      }
      if (full) {
        // Cache.put is atomic: nothing of this file was kept. Later items would hit the same wall.
        const msg = quotaMessage(item.name, item.size, await storageInfo());
        results.push({ key: item.key, ok: false, error: msg });
        for (const rest of todo.slice(n + 1)) results.push({ key: rest.key, ok: false, error: 'not tried: storage is full' });
        break;
      }
      results.push({ key: item.key, ok: true });
    } catch (e) {
      loaded = start + item.size;
      if (signal?.aborted) break;
      results.push({ key: item.key, ok: false, error: `${item.name}: ${(e as Error).message}` });
    }
    onProgress({ loaded, total, current: null });
  }
  return results;
}

function withHeaders(h: Headers): Headers {
  const out = new Headers(h);
  for (const [k, v] of Object.entries(ISOLATION)) out.set(k, v);
  return out;
}
