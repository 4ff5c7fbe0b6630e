// Pure pieces of the offline PWA: isolation headers on cached responses, the model check before caching (ONNX
// models and human's face files), the face items of the Offline view, the navigation deny-list, quota error
// recognition, and when an update may reload the page.
import { describe, expect, it, vi } from 'vitest';
import { createHash } from 'node:crypto';
import {
  ASSET_EXT,
  HUMAN_CACHE,
  NAVIGATION_DENYLIST,
  SHA_HEADER,
  cachedHumanResponse,
  cachedModelResponse,
  humanFileProblem,
  isCurrentHumanFile,
  isCurrentModel,
  isHtml,
  isHumanPath,
  modelProblem,
  withIsolation,
  type PwaAssets,
} from '../../src/pwa/sw-shared.ts';
import { FACES_KEY, faceItems } from '../../src/pwa/offline-models.ts';
import { quotaMessage } from '../../src/pwa/storage.ts';
import { isQuotaError } from '../../src/shared/quota.ts';
import { safeToReload, type BatchLike } from '../../src/pwa/update-gate.ts';

describe('withIsolation', () => {
  it('adds COOP/COEP/CORP to a cached response that lacks them, keeping status, body and other headers', async () => {
    const res = withIsolation(new Response('<!doctype html>', { status: 200, headers: { 'Content-Type': 'text/html' } }));
    expect(res.headers.get('Cross-Origin-Opener-Policy')).toBe('same-origin');
    expect(res.headers.get('Cross-Origin-Embedder-Policy')).toBe('require-corp');
    expect(res.headers.get('Cross-Origin-Resource-Policy')).toBe('same-origin');
    expect(res.headers.get('Content-Type')).toBe('text/html');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('<!doctype html>');
  });
  it('returns a response that already has them unchanged', () => {
    const res = withIsolation(new Response('x'));
    expect(withIsolation(res)).toBe(res);
  });
  it('overrides a weaker policy', () => {
    const res = withIsolation(new Response('x', { headers: { 'Cross-Origin-Embedder-Policy': 'unsafe-none' } }));
    expect(res.headers.get('Cross-Origin-Embedder-Policy')).toBe('require-corp');
  });
});

describe('models in the cache', () => {
  const bytes = new TextEncoder().encode('pretend these are ONNX weights').buffer;
  const entry = { file: 'm.onnx', size: bytes.byteLength, sha256: createHash('sha256').update(new Uint8Array(bytes)).digest('hex') };

  it('accepts the bytes the manifest describes and rejects a wrong size or sha256', async () => {
    expect(await modelProblem(entry, bytes)).toBeNull();
    expect(await modelProblem({ ...entry, size: entry.size + 1 }, bytes)).toMatch(/bytes, expected/);
    expect(await modelProblem({ ...entry, sha256: '0'.repeat(64) }, bytes)).toMatch(/sha256 .* expected 000000000000/);
  });
  it('a cached copy is current only for the sha256 it was verified against (a new model version is a miss)', async () => {
    const cached = cachedModelResponse(entry, bytes, new Response(null, { headers: { ETag: '"x"' } }));
    expect(cached.headers.get(SHA_HEADER)).toBe(entry.sha256);
    expect(cached.headers.get('Content-Length')).toBe(String(entry.size));
    expect(cached.headers.get('Cross-Origin-Embedder-Policy')).toBe('require-corp');
    expect(isCurrentModel(cached, entry)).toBe(true);
    expect(isCurrentModel(cached, { ...entry, sha256: 'f'.repeat(64) })).toBe(false);
    expect(isCurrentModel(undefined, entry)).toBe(false);
    expect((await cached.arrayBuffer()).byteLength).toBe(entry.size);
  });
  it('recognises an HTML answer', () => {
    expect(isHtml(new Response('', { headers: { 'Content-Type': 'text/html; charset=utf-8' } }))).toBe(true);
    expect(isHtml(new Response('', { headers: { 'Content-Type': 'application/octet-stream' } }))).toBe(false);
  });
});

describe('face models and tfjs wasm in the cache', () => {
  const bytes = new TextEncoder().encode('pretend this is tfjs wasm').buffer;
  const entry = {
    path: '/human/wasm/tfjs-backend-wasm-simd.wasm',
    size: bytes.byteLength,
    sha256: createHash('sha256').update(new Uint8Array(bytes)).digest('hex'),
  };

  it('live in a cache named by the human and tfjs versions, under /human/', () => {
    expect(HUMAN_CACHE).toBe('sightline-human-3.3.6-tfjs-4.22.0');
    expect(isHumanPath('/human/models/faceres.bin')).toBe(true);
    expect(isHumanPath('/human/wasm/tfjs-backend-wasm.wasm')).toBe(true);
    expect(isHumanPath('/models/files/x.onnx')).toBe(false);
  });
  it('are checked by size and sha256, and kept as wasm (streaming compilation needs application/wasm) with the sha256 they matched', async () => {
    expect(await humanFileProblem(entry, bytes)).toBeNull();
    expect(await humanFileProblem({ ...entry, sha256: '0'.repeat(64) }, bytes)).toMatch(/tfjs-backend-wasm-simd\.wasm has sha256/);
    const cached = cachedHumanResponse(entry, bytes, new Response(null, { headers: { 'Content-Type': 'application/octet-stream' } }));
    expect(cached.headers.get('Content-Type')).toBe('application/wasm');
    expect(cached.headers.get('Cross-Origin-Embedder-Policy')).toBe('require-corp');
    expect(isCurrentHumanFile(cached, entry)).toBe(true);
    expect(isCurrentHumanFile(cached, { ...entry, sha256: 'f'.repeat(64) })).toBe(false);
    const json = cachedHumanResponse(
      { ...entry, path: '/human/models/faceres.json' },
      bytes,
      new Response(null, { headers: { 'Content-Type': 'application/json' } }),
    );
    expect(json.headers.get('Content-Type')).toBe('application/json');
  });
  it('are offered as one "Faces" switch (all three models) plus the tfjs wasm it needs', () => {
    const f = (path: string, size: number) => ({ path, size, sha256: '0'.repeat(64) });
    const assets: PwaAssets = {
      version: '0',
      wasm: {},
      human: {
        human: '3.3.6',
        tfjs: '4.22.0',
        files: [
          f('/human/models/blazeface.json', 1),
          f('/human/models/blazeface.bin', 10),
          f('/human/models/facemesh.json', 2),
          f('/human/models/facemesh.bin', 20),
          f('/human/models/faceres.json', 3),
          f('/human/models/faceres.bin', 30),
          f('/human/wasm/tfjs-backend-wasm.wasm', 100),
          f('/human/wasm/tfjs-backend-wasm-simd.wasm', 200),
          f('/human/wasm/tfjs-backend-wasm-threaded-simd.wasm', 300),
        ],
      },
    };
    const [faces, wasm] = faceItems(assets, true);
    expect(faces).toMatchObject({ key: FACES_KEY, kind: 'faces', name: 'Faces (human 3.3.6): blazeface, facemesh, faceres', size: 66, path: '/human/models/' });
    expect(faces.files).toHaveLength(6);
    expect(wasm).toMatchObject({ key: 'runtime:tfjs-backend-wasm-simd', kind: 'runtime', size: 200, requires: FACES_KEY });
    expect(faceItems(assets, false)[1]).toMatchObject({ key: 'runtime:tfjs-backend-wasm', size: 100 });
    expect(faceItems(null)).toEqual([]);
    expect(faceItems({ version: '0', wasm: {} })).toEqual([]);
  });
});

describe('navigation fallback', () => {
  const denied = (p: string) => NAVIGATION_DENYLIST.some((r) => r.test(p));
  it('never serves the app shell for binaries, JSON or the model store', () => {
    for (const p of [
      '/models/files/x.onnx',
      '/assets/ort-wasm-simd-threaded-abc.wasm',
      '/models/manifest.json',
      '/weights.bin',
      '/models/labels/x.csv',
      '/human/models/faceres.bin',
      '/human/wasm/tfjs-backend-wasm-simd.wasm',
      '/human/models/anything',
      '/api/v1/x',
      '/v1/records',
      '/health',
      '/metrics',
    ])
      expect(denied(p), p).toBe(true);
    expect(ASSET_EXT.test('/x.webmanifest')).toBe(true);
  });
  it('serves it for app routes', () => {
    for (const p of ['/', '/library', '/some/client/route', '/share-target']) expect(denied(p), p).toBe(false);
  });
});

describe('quota errors', () => {
  it('are recognised directly, wrapped by Dexie (inner), or as an aborted transaction', () => {
    expect(isQuotaError(new DOMException('full', 'QuotaExceededError'))).toBe(true);
    expect(isQuotaError({ name: 'AbortError', message: 'QuotaExceededError ', inner: { name: 'QuotaExceededError' } })).toBe(true);
    expect(isQuotaError({ name: 'AbortError', message: 'Transaction aborted', inner: { name: 'QuotaExceededError', message: '' } })).toBe(true);
    expect(isQuotaError(new Error('ConstraintError'))).toBe(false);
    expect(isQuotaError(undefined)).toBe(false);
  });
  it('give a message that says what happened and what to do', () => {
    const m = quotaMessage('ResNet50', 51_085_992, { usage: 1_000_000, quota: 2_000_000, persisted: false });
    expect(m).toContain('Not enough storage to keep ResNet50');
    expect(m).toContain('976.6 KB of 1.9 MB used, 48.7 MB needed');
    expect(m).toContain('Nothing partial was kept');
  });
});

describe('safeToReload', () => {
  function fakeBatch(running: boolean, paused = false) {
    const b = { running, paused, parked: false, pause: () => (b.paused = true) };
    return b satisfies BatchLike;
  }
  it('resolves at once with no batch running (no timer runs), in either mode, and pauses nothing', async () => {
    vi.useFakeTimers();
    try {
      for (const mode of ['after-batch', 'pause-now'] as const) {
        const b = fakeBatch(false);
        let done = false;
        const p = safeToReload(b, mode, 1).then(() => (done = true));
        // Only microtasks run here: a poll or any other timer would leave it pending.
        for (let i = 0; i < 10; i++) await Promise.resolve();
        expect(done, mode).toBe(true);
        expect(b.paused, mode).toBe(false);
        await p;
      }
    } finally {
      vi.useRealTimers();
    }
  });
  it('after-batch: waits until the batch is over, even a paused one', async () => {
    const b = fakeBatch(true, true);
    let done = false;
    const p = safeToReload(b, 'after-batch', 1).then(() => (done = true));
    b.parked = true;
    await new Promise((r) => setTimeout(r, 20));
    expect(done).toBe(false);
    b.running = false;
    await p;
    expect(done).toBe(true);
  });
  it('pause-now: pauses the batch and waits until it stands between two files', async () => {
    const b = fakeBatch(true);
    let done = false;
    const p = safeToReload(b, 'pause-now', 1).then(() => (done = true));
    expect(b.paused).toBe(true);
    await new Promise((r) => setTimeout(r, 20));
    expect(done).toBe(false); // the current file is still being processed
    b.parked = true;
    await p;
    expect(done).toBe(true);
    expect(b.running).toBe(true); // paused, not cancelled: a folder batch resumes after the reload
  });
});
