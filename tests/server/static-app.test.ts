// The sync server also serves the built PWA and the model store (npm start: one port), with cross-origin
// isolation, no SPA fallback for assets, and the API next to it.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../sync-server/src/app.ts';
import type { Database } from '../../sync-server/src/db/driver.ts';
import { makeApp, makeDb } from './helpers.ts';

let tmp: string;
let db: Database;
let app: App;

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'sightline-app-'));
  mkdirSync(path.join(tmp, 'dist/assets'), { recursive: true });
  mkdirSync(path.join(tmp, 'models/files'), { recursive: true });
  writeFileSync(path.join(tmp, 'dist/index.html'), '<!doctype html><title>Sightline</title>');
  writeFileSync(path.join(tmp, 'dist/assets/ort-abcdef12.wasm'), Buffer.from([0, 0x61, 0x73, 0x6d]));
  writeFileSync(path.join(tmp, 'models/files/m.onnx'), 'onnx');
  db = await makeDb('pglite');
  app = await makeApp(db, { staticDir: path.join(tmp, 'dist'), modelsDir: path.join(tmp, 'models') });
}, 60_000);
afterAll(async () => {
  await app?.close();
  await db?.close();
  rmSync(tmp, { recursive: true, force: true });
});

const isolated = (h: Record<string, unknown>) => {
  expect(h['cross-origin-opener-policy']).toBe('same-origin');
  expect(h['cross-origin-embedder-policy']).toBe('require-corp');
};

describe('app + API on one port', () => {
  it('serves the index, client routes, assets and models with COOP/COEP', async () => {
    for (const url of ['/', '/some/route']) {
      const r = await app.inject({ method: 'GET', url });
      expect(r.statusCode, url).toBe(200);
      expect(r.body).toContain('<title>Sightline</title>');
      isolated(r.headers);
    }
    const wasm = await app.inject({ method: 'GET', url: '/assets/ort-abcdef12.wasm' });
    expect(wasm.headers['content-type']).toBe('application/wasm');
    isolated(wasm.headers);
    const model = await app.inject({ method: 'GET', url: '/models/files/m.onnx' });
    expect(model.body).toBe('onnx');
  });

  it('a missing .wasm/.onnx/.json is a 404, never the HTML index', async () => {
    for (const url of ['/assets/missing.wasm', '/models/files/nope.onnx', '/models/manifest.json']) {
      const r = await app.inject({ method: 'GET', url });
      expect(r.statusCode, url).toBe(404);
      expect(r.body).not.toContain('<title>');
    }
  });

  it('API routes are not shadowed by the SPA fallback', async () => {
    expect((await app.inject({ method: 'GET', url: '/health' })).json()).toMatchObject({ status: 'ok' });
    const missing = await app.inject({ method: 'GET', url: '/v1/nothing-here' });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toMatch(/application\/json/);
    expect((await app.inject({ method: 'POST', url: '/some/route' })).statusCode).toBe(404);
  });
});
