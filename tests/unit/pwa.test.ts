// Pure pieces of the offline PWA: isolation headers on cached responses, the model check before caching,
// the navigation deny-list, quota error recognition, and when an update may reload the page.
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import {
  ASSET_EXT,
  NAVIGATION_DENYLIST,
  SHA_HEADER,
  cachedModelResponse,
  isCurrentModel,
  isHtml,
  modelProblem,
  withIsolation,
} from '../../src/pwa/sw-shared.ts';
import { isQuotaError, quotaMessage } from '../../src/pwa/storage.ts';
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

describe('navigation fallback', () => {
  const denied = (p: string) => NAVIGATION_DENYLIST.some((r) => r.test(p));
  it('never serves the app shell for binaries, JSON or the model store', () => {
    for (const p of [
      '/models/files/x.onnx',
      '/assets/ort-wasm-simd-threaded-abc.wasm',
      '/models/manifest.json',
      '/weights.bin',
      '/models/labels/x.csv',
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
  it('resolves at once with no batch running', async () => {
    await safeToReload(fakeBatch(false), 'after-batch', 1);
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
