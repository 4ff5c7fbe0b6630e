// "Make available offline": downloads model weights and the ONNX Runtime wasm into Cache Storage, with
// progress, checking each model's size and sha256 before keeping it (the same check the service worker
// makes when it caches a model on first use, and the inference worker makes again when it loads one).
import type { ModelEntry } from '../shared/manifest';
import {
  BYPASS_HEADER,
  ISOLATION,
  MODEL_CACHE,
  PWA_ASSETS_PATH,
  WASM_CACHE,
  cachedModelResponse,
  isCurrentModel,
  isHtml,
  modelPath,
  modelProblem,
  type ModelFileInfo,
  type PwaAssets,
} from './sw-shared';
import { isQuotaError, quotaMessage, storageInfo } from './storage';

export interface OfflineItem {
  /** Model id, or `runtime:<name>` for a wasm binary. */
  key: string;
  name: string;
  kind: 'model' | 'runtime';
  path: string;
  size: number;
  model?: ModelFileInfo;
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

const cacheOf = (item: OfflineItem) => (item.kind === 'model' ? MODEL_CACHE : WASM_CACHE);

/** Which items are in Cache Storage now (a model only if verified against the manifest's current sha256). */
export async function cachedKeys(items: OfflineItem[]): Promise<Set<string>> {
  const out = new Set<string>();
  if (typeof caches === 'undefined') return out;
  const [models, wasm] = await Promise.all([caches.open(MODEL_CACHE), caches.open(WASM_CACHE)]);
  for (const item of items) {
    const hit = await (item.kind === 'model' ? models : wasm).match(item.path);
    if (item.model ? isCurrentModel(hit, item.model) : !!hit) out.add(item.key);
  }
  return out;
}

export async function removeItem(item: OfflineItem): Promise<void> {
  await (await caches.open(cacheOf(item))).delete(item.path);
}

async function fetchBytes(item: OfflineItem, signal: AbortSignal | undefined, onBytes: (n: number) => void): Promise<{ bytes: ArrayBuffer; res: Response }> {
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
      const { bytes, res } = await fetchBytes(item, signal, (k) => {
        loaded += k;
        onProgress({ loaded, total, current: item.name });
      });
      if (item.model) {
        const problem = await modelProblem(item.model, bytes);
        if (problem) throw new Error(`the download is not the model in the manifest: ${problem}`);
      }
      const cached = item.model ? cachedModelResponse(item.model, bytes, res) : new Response(bytes, { status: 200, headers: withHeaders(res.headers) });
      try {
        await (await caches.open(cacheOf(item))).put(item.path, cached);
      } catch (e) {
        if (!isQuotaError(e)) throw e;
        // Cache.put is atomic: nothing of this item was kept. Later items would hit the same wall.
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
