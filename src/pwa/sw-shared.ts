// Names and checks shared by the service worker (src/sw.ts) and the page (src/pwa/*): cache names, the
// headers cross-origin isolation needs, which requests are never answered with the SPA's HTML, and the
// size + sha256 check a model passes before it is kept in Cache Storage. Pure: Response/crypto only.
import { HUMAN_MODELS_PATH, HUMAN_VERSION, HUMAN_WASM_PATH, TFJS_VERSION } from '../shared/faces-assets';

/** Model weights, keyed by their URL path without query; each entry carries its sha256 in SHA_HEADER. */
export const MODEL_CACHE = 'sightline-models-v1';
/** ONNX Runtime wasm binaries, keyed by their content-hashed URL (a new ORT build is a new URL). */
export const WASM_CACHE = 'sightline-wasm-v1';
/** Face models and tfjs wasm (`/human/…`), versioned by the human + tfjs release that reads them: a new release
 *  is a new cache, and the old one is deleted when the new service worker activates. */
export const HUMAN_CACHE = `sightline-human-${HUMAN_VERSION}-tfjs-${TFJS_VERSION}`;
export const HUMAN_CACHE_PREFIX = 'sightline-human-';
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
export const NAVIGATION_DENYLIST = [ASSET_EXT, /^\/models\//, /^\/human\//, /^\/assets\//, /^\/v1(\/|$)/, /^\/api\//, /^\/(health|metrics)$/];

export interface PwaAssets {
  version: string;
  /** ORT wasm binaries by name (without the hash): absolute path and size. */
  wasm: Record<string, { path: string; size: number }>;
  /** Face models and tfjs wasm served under /human/ (absent in builds made before faces). */
  human?: HumanAssets;
}

/** One file under /human/: absolute path, size and sha256 (written by the build from the npm packages' copies). */
export interface HumanFile {
  path: string;
  size: number;
  sha256: string;
}

export interface HumanAssets {
  human: string;
  tfjs: string;
  files: HumanFile[];
}

export const isHumanPath = (p: string): boolean => p.startsWith(HUMAN_MODELS_PATH) || p.startsWith(HUMAN_WASM_PATH);

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

/** Why these bytes are not the /human/ file the build describes, or null when they are. */
export async function humanFileProblem(entry: HumanFile, bytes: ArrayBuffer): Promise<string | null> {
  return modelProblem({ file: entry.path.split('/').pop()!, size: entry.size, sha256: entry.sha256 }, bytes);
}

/** The response kept in HUMAN_CACHE for verified bytes: the server's headers (content type: wasm must stay
 *  application/wasm for streaming compilation) plus isolation headers and the sha256 it matched. */
export function cachedHumanResponse(entry: HumanFile, bytes: ArrayBuffer, from?: Response): Response {
  const headers = new Headers(from?.headers);
  for (const [k, v] of Object.entries(ISOLATION)) headers.set(k, v);
  if (entry.path.endsWith('.wasm')) headers.set('Content-Type', 'application/wasm');
  else if (!headers.has('Content-Type')) headers.set('Content-Type', entry.path.endsWith('.json') ? 'application/json' : 'application/octet-stream');
  headers.delete('Content-Encoding');
  headers.set('Content-Length', String(bytes.byteLength));
  headers.set(SHA_HEADER, entry.sha256);
  return new Response(bytes, { status: 200, statusText: 'OK', headers });
}

/** A cached copy of a /human/ file is current only if it was verified against the sha256 this build has. */
export const isCurrentHumanFile = (res: Response | undefined, entry: HumanFile): boolean => !!res && res.headers.get(SHA_HEADER) === entry.sha256;

/** A cached model is current only if it was verified against the sha256 the manifest has now. */
export const isCurrentModel = (res: Response | undefined, entry: ModelFileInfo): boolean => !!res && res.headers.get(SHA_HEADER) === entry.sha256;
