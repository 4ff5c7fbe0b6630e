import { svelte } from '@sveltejs/vite-plugin-svelte';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { defineConfig, type Connect, type Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { ISOLATION_HEADERS, serveStatic } from './sync-server/src/static.ts';
import { humanPthreadFix } from './scripts/lib/human-pthread-fix.ts';
import { HUMAN_MODELS_PATH, HUMAN_MODEL_FILES, HUMAN_VERSION, HUMAN_WASM_PATH, TFJS_VERSION, TFJS_WASM_FILES } from './src/shared/faces-assets.ts';

// The dev server and `vite preview` serve models/ at /models/ exactly as the production server does.
function modelStore(): Plugin {
  const mounts = [{ prefix: '/models/', dir: path.resolve(import.meta.dirname, 'models') }];
  const handler: Connect.NextHandleFunction = (req, res, next) => {
    if (!req.url?.startsWith('/models/')) return next();
    serveStatic(req, res, { mounts }).then((done) => done || next(), next);
  };
  return {
    name: 'sightline-model-store',
    configureServer: (s) => void s.middlewares.use(handler),
    configurePreviewServer: (s) => void s.middlewares.use(handler),
  };
}

// Face models ship in @vladmandic/human's npm package, the tfjs wasm binaries in @tensorflow/tfjs-backend-wasm:
// mounted in dev/preview, copied (only the files used) into the build, so they come from our own origin.
const humanSources = [
  { prefix: HUMAN_MODELS_PATH, dir: path.resolve(import.meta.dirname, 'node_modules/@vladmandic/human/models'), files: HUMAN_MODEL_FILES },
  { prefix: HUMAN_WASM_PATH, dir: path.resolve(import.meta.dirname, 'node_modules/@tensorflow/tfjs-backend-wasm/dist'), files: TFJS_WASM_FILES },
];
function humanAssets(): Plugin {
  const handler: Connect.NextHandleFunction = (req, res, next) => {
    const url = req.url ?? '';
    const src = humanSources.find((s) => url.startsWith(s.prefix) && s.files.includes(url.slice(s.prefix.length).split('?')[0]));
    if (!src) return next();
    serveStatic(req, res, { mounts: [src] }).then((done) => done || next(), next);
  };
  return {
    name: 'sightline-human-assets',
    configureServer: (s) => void s.middlewares.use(handler),
    configurePreviewServer: (s) => void s.middlewares.use(handler),
    writeBundle(options) {
      for (const s of humanSources) {
        const out = path.join(options.dir!, s.prefix);
        mkdirSync(out, { recursive: true });
        for (const f of s.files) copyFileSync(path.join(s.dir, f), path.join(out, f));
      }
    },
  };
}

// The version shown in the app (and by the update prompt). SIGHTLINE_BUILD_LABEL marks a build, e.g. the
// second version the update test serves.
const pkg = JSON.parse(readFileSync(path.resolve(import.meta.dirname, 'package.json'), 'utf8')) as { version: string };
const appVersion = pkg.version + (process.env.SIGHTLINE_BUILD_LABEL ? `+${process.env.SIGHTLINE_BUILD_LABEL}` : '');

/** Path, size and sha256 of every file humanAssets() serves under /human/ (read from the packages' copies). */
function humanFileList(): { path: string; size: number; sha256: string }[] {
  return humanSources.flatMap((s) =>
    s.files.map((f) => {
      const bytes = readFileSync(path.join(s.dir, f));
      return { path: s.prefix + f, size: bytes.byteLength, sha256: createHash('sha256').update(bytes).digest('hex') };
    }),
  );
}

// Writes pwa-assets.json (the ORT wasm URLs of this build, and the /human/ face models and tfjs wasm with their
// sizes and sha256) before the service worker's precache manifest is made, so the service worker and the
// Offline view know which runtime binaries are current and can check what they cache.
function pwaAssets(): Plugin {
  return {
    name: 'sightline-pwa-assets',
    apply: 'build',
    writeBundle(options) {
      const dir = options.dir!;
      const wasm: Record<string, { path: string; size: number }> = {};
      for (const f of readdirSync(path.join(dir, 'assets'))) {
        const m = /^(ort-wasm[\w.-]*?)-[\w-]{8}\.wasm$/.exec(f);
        if (m) wasm[m[1]] = { path: `/assets/${f}`, size: statSync(path.join(dir, 'assets', f)).size };
      }
      const human = { human: HUMAN_VERSION, tfjs: TFJS_VERSION, files: humanFileList() };
      writeFileSync(path.join(dir, 'pwa-assets.json'), JSON.stringify({ version: appVersion, wasm, human }, null, 2) + '\n');
    },
  };
}

export default defineConfig({
  plugins: [
    svelte(),
    modelStore(),
    humanAssets(),
    pwaAssets(),
    // Service worker from src/sw.ts (Workbox); the web manifest is public/manifest.webmanifest; registration is
    // src/pwa/register.ts (workbox-window). Model weights and wasm are cached at run time, never precached.
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'src',
      filename: 'sw.ts',
      injectRegister: false,
      manifest: false,
      includeManifestIcons: false,
      injectManifest: {
        globPatterns: ['**/*.{html,js,css,svg,png,ico,webmanifest,json}'],
        globIgnores: ['sw.js', 'screenshots/**', 'human/**'],
        maximumFileSizeToCacheInBytes: 4 * 1024 * 1024,
        rollupFormat: 'iife',
      },
    }),
  ],
  define: { __APP_VERSION__: JSON.stringify(appVersion) },
  server: { headers: ISOLATION_HEADERS },
  preview: { headers: ISOLATION_HEADERS },
  // ORT loads its own wasm and worker glue: pre-bundling breaks those paths.
  optimizeDeps: { exclude: ['onnxruntime-web', '@vladmandic/human'] },
  // humanPthreadFix: human's multi-threaded tfjs-wasm survives minification (see the file).
  worker: { format: 'es', plugins: () => [humanPthreadFix()] },
  build: { target: 'es2022', chunkSizeWarningLimit: 1024 },
});
