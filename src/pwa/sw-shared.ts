// Names and checks shared by the service worker (src/sw.ts) and the page (src/pwa/*): cache names, the
// headers cross-origin isolation needs, which requests are never answered with the SPA's HTML, and the
// size + sha256 check a model passes before it is kept in Cache Storage. Pure: Response/crypto only.

/** Model weights, keyed by their URL path without query; each entry carries its sha256 in SHA_HEADER. */
export const MODEL_CACHE = 'sightline-models-v1';
/** ONNX Runtime wasm binaries, keyed by their content-hashed URL (a new ORT build is a new URL). */
export const WASM_CACHE = 'sightline-wasm-v1';
/** Files shared to the installed app (Web Share Target), waiting for the page to pick them up. */
export const SHARE_CACHE = 'sightline-share-v1';
export const SHARE_TARGET_PATH = '/share-target';
/** The build's runtime assets (wasm URLs), written by the build next to index.html and precached. */
export const PWA_ASSETS_PATH = '/pwa-assets.json';

/** Stored with every cached model: the sha256 it was verified against (the manifest's version of it). */
export const SHA_HEADER = 'X-Sightline-Sha256';
/** A request with this header goes to the network untouched: the page downloads and caches it itself. */
export const BYPASS_HEADER = 'X-Sightline-Download';

export const ISOLATION: Record<string, string> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/** The same list as sync-server/src/static.ts: these paths are files, never the SPA's index.html. */
export const ASSET_EXT = /\.(wasm|onnx|bin|json|mjs|js|css|csv|png|jpe?g|webp|svg|ico|txt|map|webmanifest)$/i;
/** Navigations that must reach the network (or fail), never the cached app shell: files, and the team sync API. */
export const NAVIGATION_DENYLIST = [ASSET_EXT, /^\/models\//, /^\/assets\//, /^\/v1(\/|$)/, /^\/api\//, /^\/(health|metrics)$/];

export interface PwaAssets {
  version: string;
  /** ORT wasm binaries by name (without the hash): absolute path and size. */
  wasm: Record<string, { path: string; size: number }>;
}

export interface ModelFileInfo {
  file: string;
  size: number;
  sha256: string;
}

export const modelPath = (file: string): string => `/models/files/${file}`;

/** Adds COOP/COEP/CORP when a response lacks them, so pages and workers served from a cache stay isolated. */
export function withIsolation(res: Response): Response {
  if (res.type === 'opaque' || res.type === 'opaqueredirect' || res.type === 'error' || res.status === 0) return res;
  if (Object.entries(ISOLATION).every(([k, v]) => res.headers.get(k) === v)) return res;
  const headers = new Headers(res.headers);
  for (const [k, v] of Object.entries(ISOLATION)) headers.set(k, v);
  return new Response(res.body, { status: res.status, statusText: res.statusText, headers });
}

export const isHtml = (res: Response): boolean => (res.headers.get('content-type') ?? '').includes('text/html');

export async function sha256Hex(data: BufferSource): Promise<string> {
  const d = new Uint8Array(await crypto.subtle.digest('SHA-256', data));
  return Array.from(d, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Why these bytes are not the model the manifest describes, or null when they are. */
export async function modelProblem(entry: ModelFileInfo, bytes: ArrayBuffer): Promise<string | null> {
  if (bytes.byteLength !== entry.size) return `${entry.file} is ${bytes.byteLength} bytes, expected ${entry.size}`;
  const sha = await sha256Hex(bytes);
  if (sha !== entry.sha256) return `${entry.file} has sha256 ${sha.slice(0, 12)}…, expected ${entry.sha256.slice(0, 12)}…`;
  return null;
}

/** The response kept in MODEL_CACHE for verified bytes: the server's headers plus the sha256 it matched. */
export function cachedModelResponse(entry: ModelFileInfo, bytes: ArrayBuffer, from?: Response): Response {
  const headers = new Headers(from?.headers);
  for (const [k, v] of Object.entries(ISOLATION)) headers.set(k, v);
  headers.set('Content-Type', 'application/octet-stream');
  headers.set('Content-Length', String(bytes.byteLength));
  headers.set(SHA_HEADER, entry.sha256);
  return new Response(bytes, { status: 200, statusText: 'OK', headers });
}

/** A cached model is current only if it was verified against the sha256 the manifest has now. */
export const isCurrentModel = (res: Response | undefined, entry: ModelFileInfo): boolean => !!res && res.headers.get(SHA_HEADER) === entry.sha256;
