/// <reference lib="webworker" />
// Sightline's service worker (Workbox, built by vite-plugin-pwa's injectManifest step).
// - Precaches the app shell: index.html, JS, CSS, icons, the web manifest, the label files (revisioned by
//   their sha256 from models/manifest.json). Content rules are bundled into the JS.
// - Runtime-caches model weights and the ORT wasm on first use (CacheFirst). A model is kept only after its
//   size and sha256 match the manifest this service worker was built with; a cached copy verified against
//   another sha256 is treated as absent (new model version = new download) and removed on activation.
// - Runtime-caches the face models and tfjs wasm under /human/ the same way (CacheFirst, own cache named by the
//   human + tfjs versions, each file checked against the size and sha256 in pwa-assets.json); caches of
//   other human/tfjs versions are deleted on activation.
// - Every response it serves gets COOP/COEP/CORP, so a page loaded offline is still cross-origin isolated
//   (SharedArrayBuffer, WASM threads).
// - Navigations get the cached index.html, except asset-like paths (.wasm, .onnx, .json, .bin, /models/…, /human/…),
//   which go to the network and fail or 404 there: never HTML where a binary is expected.
// - A new version waits until the page asks it to take over (SKIP_WAITING), see src/pwa/register.ts.
import { clientsClaim, type WorkboxPlugin } from 'workbox-core';
import { addPlugins, cleanupOutdatedCaches, createHandlerBoundToURL, matchPrecache, precacheAndRoute, type PrecacheEntry } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { CacheFirst } from 'workbox-strategies';
import manifestJson from '../models/manifest.json';
import type { ModelManifest } from './shared/manifest';
import {
  BYPASS_HEADER,
  HUMAN_CACHE,
  HUMAN_CACHE_PREFIX,
  MODEL_CACHE,
  NAVIGATION_DENYLIST,
  PWA_ASSETS_PATH,
  SHARE_CACHE,
  SHARE_TARGET_PATH,
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
  withIsolation,
  type HumanFile,
  type PwaAssets,
} from './pwa/sw-shared';

declare let self: ServiceWorkerGlobalScope & { __WB_MANIFEST: (PrecacheEntry | string)[] };

const manifest = manifestJson as unknown as ModelManifest;
const modelsByPath = new Map(manifest.models.map((m) => [modelPath(m.file), m]));

const isolation: WorkboxPlugin = {
  handlerWillRespond: async ({ response }) => withIsolation(response),
};

// The app shell. The label files live next to the models (served from models/labels/), not in dist/.
addPlugins([isolation]);
precacheAndRoute([...self.__WB_MANIFEST, ...Object.values(manifest.labels).map((l) => ({ url: `/models/${l.file}`, revision: l.sha256 }))]);
cleanupOutdatedCaches();

registerRoute(new NavigationRoute(createHandlerBoundToURL('/index.html'), { denylist: NAVIGATION_DENYLIST }));

const sameOrigin = (url: URL) => url.origin === self.location.origin;
const bypass = (request: Request) => request.headers.has(BYPASS_HEADER);

// Models: keyed by path (a query string does not make a second copy), versioned by sha256.
const modelPlugin: WorkboxPlugin = {
  cacheKeyWillBeUsed: async ({ request }) => new URL(request.url).pathname,
  cachedResponseWillBeUsed: async ({ request, cachedResponse }) => {
    const entry = modelsByPath.get(new URL(request.url).pathname);
    return entry && isCurrentModel(cachedResponse, entry) ? cachedResponse! : null;
  },
  cacheWillUpdate: async ({ request, response }) => {
    const entry = modelsByPath.get(new URL(request.url).pathname);
    if (!entry || response.status !== 200 || isHtml(response)) return null;
    const bytes = await response.arrayBuffer();
    const problem = await modelProblem(entry, bytes);
    if (problem) {
      console.warn(`[sw] not caching ${entry.file}: ${problem}`);
      return null;
    }
    return cachedModelResponse(entry, bytes, response);
  },
};
registerRoute(
  ({ url, request }) => sameOrigin(url) && modelsByPath.has(url.pathname) && !bypass(request),
  new CacheFirst({ cacheName: MODEL_CACHE, plugins: [modelPlugin, isolation] }),
);

// ORT wasm: content-hashed names under /assets/; only real wasm responses are kept.
const wasmPlugin: WorkboxPlugin = {
  cacheWillUpdate: async ({ response }) => (response.status === 200 && !isHtml(response) ? response : null),
};
registerRoute(
  ({ url, request }) => sameOrigin(url) && url.pathname.startsWith('/assets/') && url.pathname.endsWith('.wasm') && !bypass(request),
  new CacheFirst({ cacheName: WASM_CACHE, plugins: [wasmPlugin, isolation] }),
);

// The build's runtime assets (precached): ORT wasm URLs, and the /human/ files with their sizes and sha256.
let buildAssets: PwaAssets | null = null;
async function pwaAssets(): Promise<PwaAssets | null> {
  buildAssets ??= ((await (await matchPrecache(PWA_ASSETS_PATH))?.json().catch(() => null)) as PwaAssets | null) ?? null;
  return buildAssets;
}
async function humanEntry(path: string): Promise<HumanFile | null | undefined> {
  const assets = await pwaAssets();
  // undefined: this build lists no /human/ files (cannot check); null: listed, and this path is not one of them.
  if (!assets?.human) return undefined;
  return assets.human.files.find((f) => f.path === path) ?? null;
}

// Face models and tfjs wasm: keyed by path, kept only when size and sha256 match this build's list.
const humanPlugin: WorkboxPlugin = {
  cacheKeyWillBeUsed: async ({ request }) => new URL(request.url).pathname,
  cacheWillUpdate: async ({ request, response }) => {
    if (response.status !== 200 || isHtml(response)) return null;
    const path = new URL(request.url).pathname;
    const entry = await humanEntry(path);
    if (entry === null) return null;
    if (entry === undefined) return response;
    const bytes = await response.arrayBuffer();
    const problem = await humanFileProblem(entry, bytes);
    if (problem) {
      console.warn(`[sw] not caching ${path}: ${problem}`);
      return null;
    }
    return cachedHumanResponse(entry, bytes, response);
  },
};
registerRoute(
  ({ url, request }) => sameOrigin(url) && isHumanPath(url.pathname) && !bypass(request),
  new CacheFirst({ cacheName: HUMAN_CACHE, plugins: [humanPlugin, isolation] }),
);

// Web Share Target: the OS posts the shared images here; they wait in SHARE_CACHE until the page takes them.
registerRoute(
  ({ url }) => sameOrigin(url) && url.pathname === SHARE_TARGET_PATH,
  async ({ request }) => {
    const form = await request.formData();
    const files = form.getAll('images').filter((f): f is File => f instanceof File);
    const id = Date.now().toString(36);
    const cache = await caches.open(SHARE_CACHE);
    await Promise.all(
      files.map((f, i) =>
        cache.put(
          `${SHARE_TARGET_PATH}/${id}/${i}`,
          new Response(f, { headers: { 'Content-Type': f.type || 'application/octet-stream', 'X-File-Name': encodeURIComponent(f.name || `shared-${i}`) } }),
        ),
      ),
    );
    return Response.redirect(`/?share-target=${id}#library`, 303);
  },
  'POST',
);

/**
 * Drops models verified against an older sha256, wasm binaries the current build no longer uses, caches of
 * other human/tfjs versions, and /human/ files this build does not list (or lists with another sha256).
 */
async function pruneRuntimeCaches(): Promise<void> {
  for (const name of await caches.keys()) if (name.startsWith(HUMAN_CACHE_PREFIX) && name !== HUMAN_CACHE) await caches.delete(name);
  const models = await caches.open(MODEL_CACHE);
  for (const req of await models.keys()) {
    const path = new URL(req.url).pathname;
    const entry = modelsByPath.get(path);
    if (!entry || !isCurrentModel(await models.match(req), entry)) await models.delete(req);
  }
  const assets = await pwaAssets();
  if (!assets) return;
  const keep = new Set(Object.values(assets.wasm).map((w) => w.path));
  const wasm = await caches.open(WASM_CACHE);
  for (const req of await wasm.keys()) if (!keep.has(new URL(req.url).pathname)) await wasm.delete(req);
  if (!assets.human) return;
  const files = new Map(assets.human.files.map((f) => [f.path, f]));
  const human = await caches.open(HUMAN_CACHE);
  for (const req of await human.keys()) {
    const entry = files.get(new URL(req.url).pathname);
    if (!entry || !isCurrentHumanFile(await human.match(req), entry)) await human.delete(req);
  }
}

self.addEventListener('activate', (event) => event.waitUntil(pruneRuntimeCaches()));

self.addEventListener('message', (event) => {
  if ((event.data as { type?: string } | null)?.type === 'SKIP_WAITING') void self.skipWaiting();
});

// The first installation takes control at once, so the visit that installs it already caches models on use.
// Later versions wait for SKIP_WAITING (the page's "Update available — Reload").
clientsClaim();
