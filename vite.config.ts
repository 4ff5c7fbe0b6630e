import { svelte } from '@sveltejs/vite-plugin-svelte';
import path from 'node:path';
import { defineConfig, type Connect, type Plugin } from 'vite';
import { ISOLATION_HEADERS, serveStatic } from './sync-server/src/static.ts';

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

export default defineConfig({
  plugins: [svelte(), modelStore()],
  server: { headers: ISOLATION_HEADERS },
  preview: { headers: ISOLATION_HEADERS },
  // ORT loads its own wasm and worker glue: pre-bundling breaks those paths.
  optimizeDeps: { exclude: ['onnxruntime-web'] },
  worker: { format: 'es' },
  build: { target: 'es2022', chunkSizeWarningLimit: 1024 },
});
