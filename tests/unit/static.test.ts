// sync-server/src/static.ts over a real node:http server and a temp folder.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveStatic, type StaticOptions } from '../../sync-server/src/static';

const INDEX = '<!doctype html><title>Sightline</title>';
const JS = 'console.log("app");';
const WASM = Buffer.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
const ONNX = Buffer.from('onnx-bytes');
const SECRET = 'TOP SECRET';

let tmp: string;
let root: string;
let server: Server;
let port: number;

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'sightline-static-'));
  root = path.join(tmp, 'root');
  mkdirSync(path.join(root, 'assets'), { recursive: true });
  mkdirSync(path.join(root, 'models'));
  mkdirSync(path.join(tmp, 'root-evil'));
  writeFileSync(path.join(root, 'index.html'), INDEX);
  writeFileSync(path.join(root, 'assets/app-abcdef12.js'), JS);
  writeFileSync(path.join(root, 'x.wasm'), WASM);
  writeFileSync(path.join(root, 'models/m.onnx'), ONNX);
  // outside the served root
  writeFileSync(path.join(tmp, 'secret.txt'), SECRET);
  writeFileSync(path.join(tmp, 'root-evil/secret.txt'), SECRET);

  const withSpa: StaticOptions = { mounts: [{ prefix: '/', dir: root }], spaIndex: path.join(root, 'index.html') };
  const noSpa: StaticOptions = { mounts: [{ prefix: '/models/', dir: path.join(root, 'models') }] };
  server = createServer((req, res) => {
    const opts = req.headers['x-no-spa'] ? noSpa : withSpa;
    serveStatic(req, res, opts).then(
      (handled) => {
        if (!handled) {
          res.writeHead(418, { 'Content-Type': 'text/plain' });
          res.end('not handled');
        }
      },
      (err: Error) => {
        res.writeHead(599);
        res.end(String(err));
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  rmSync(tmp, { recursive: true, force: true });
});

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** Raw request: the path goes on the wire exactly as written (no client-side normalisation). */
function get(p: string, { method = 'GET', headers = {} }: { method?: string; headers?: Record<string, string> } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: p, method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

const expectIsolated = (r: Reply) => {
  expect(r.headers['cross-origin-opener-policy']).toBe('same-origin');
  expect(r.headers['cross-origin-embedder-policy']).toBe('require-corp');
};

describe('serveStatic', () => {
  it('serves files with their MIME type and cross-origin isolation headers', async () => {
    const wasm = await get('/x.wasm');
    expect(wasm.status).toBe(200);
    expect(wasm.headers['content-type']).toBe('application/wasm');
    expect(wasm.body.equals(WASM)).toBe(true);
    expect(wasm.headers['content-length']).toBe(String(WASM.length));
    expectIsolated(wasm);
    expect(wasm.headers['x-content-type-options']).toBe('nosniff');

    const onnx = await get('/models/m.onnx');
    expect(onnx.status).toBe(200);
    expect(onnx.headers['content-type']).toBe('application/octet-stream');
    expect(onnx.body.toString()).toBe('onnx-bytes');

    const js = await get('/assets/app-abcdef12.js');
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.body.toString()).toBe(JS);
  });

  it('/ and /index.html serve the index', async () => {
    for (const p of ['/', '/index.html']) {
      const r = await get(p);
      expect(r.status, p).toBe(200);
      expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(r.body.toString()).toBe(INDEX);
      expectIsolated(r);
    }
  });

  it('a missing .wasm or .onnx is a plain 404, never the HTML index', async () => {
    for (const p of ['/nope.wasm', '/models/missing.onnx', '/assets/gone-12345678.js']) {
      const r = await get(p);
      expect(r.status, p).toBe(404);
      expect(r.headers['content-type']).toBe('text/plain; charset=utf-8');
      expect(r.body.toString()).toBe(`Not found: ${p}`);
      expect(r.body.toString()).not.toContain('<!doctype');
      expectIsolated(r);
    }
  });

  it('client-side routes get index.html (SPA fallback)', async () => {
    const r = await get('/some/client/route');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(r.body.toString()).toBe(INDEX);
    expect(r.headers['cache-control']).toBe('no-store');
    expectIsolated(r);
  });

  it('without spaIndex an unmatched route is left to the caller', async () => {
    expect((await get('/some/client/route', { headers: { 'x-no-spa': '1' } })).status).toBe(418);
    expect((await get('/models/m.onnx', { headers: { 'x-no-spa': '1' } })).body.toString()).toBe('onnx-bytes');
    expect((await get('/models/missing.onnx', { headers: { 'x-no-spa': '1' } })).status).toBe(404);
  });

  it('path traversal does not escape the root', async () => {
    const attempts = [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/%2E%2E/%2e%2e/secret.txt',
      '/..%2fsecret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/%2e%2e%2fsecret.txt',
      '/..%5csecret.txt',
      '/..%2froot-evil/secret.txt',
      '/models/..%2f..%2fsecret.txt',
    ];
    for (const p of attempts) {
      const r = await get(p);
      expect(r.body.toString(), p).not.toContain(SECRET);
      expect(r.body.toString(), p).not.toMatch(/root:/);
      expect([400, 404], p).toContain(r.status);
      expectIsolated(r);
    }
    // a traversal to a name without an asset extension falls back to the SPA index, not the file
    const passwd = await get('/../../etc/passwd');
    expect(passwd.status).toBe(200);
    expect(passwd.body.toString()).toBe(INDEX);
  });

  it('ETag + If-None-Match answers 304 with the same headers and no body', async () => {
    const first = await get('/x.wasm');
    const etag = first.headers.etag!;
    expect(etag).toMatch(/^"[0-9a-f]+-[0-9a-f]+"$/);
    expect(etag.startsWith(`"${WASM.length.toString(16)}-`)).toBe(true);
    const again = await get('/x.wasm', { headers: { 'If-None-Match': etag } });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    expect(again.headers.etag).toBe(etag);
    expectIsolated(again);
    expect((await get('/x.wasm', { headers: { 'If-None-Match': '"other"' } })).status).toBe(200);
  });

  it('hashed assets are immutable; other files must revalidate', async () => {
    expect((await get('/assets/app-abcdef12.js')).headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect((await get('/x.wasm')).headers['cache-control']).toBe('no-cache');
    expect((await get('/index.html')).headers['cache-control']).toBe('no-cache');
    expect((await get('/models/m.onnx')).headers['cache-control']).toBe('no-cache');
  });

  it('HEAD gives the headers without a body', async () => {
    const r = await get('/x.wasm', { method: 'HEAD' });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/wasm');
    expect(r.headers['content-length']).toBe(String(WASM.length));
    expect(r.body.length).toBe(0);
    expectIsolated(r);
    expect((await get('/nope.wasm', { method: 'HEAD' })).status).toBe(404);
  });

  it('malformed percent-encoding and NUL bytes are a 400', async () => {
    for (const p of ['/bad%zz.js', '/%E0%A4%A', '/x%', '/%00.wasm', '/index.html%00.js']) {
      const r = await get(p);
      expect(r.status, p).toBe(400);
      expectIsolated(r);
    }
  });

  it('other methods are not handled', async () => {
    expect((await get('/x.wasm', { method: 'POST' })).status).toBe(418);
    expect((await get('/x.wasm', { method: 'DELETE' })).status).toBe(418);
  });

  it('a directory is not served as a file', async () => {
    const r = await get('/assets');
    expect(r.status).toBe(200);
    expect(r.body.toString()).toBe(INDEX); // SPA fallback, not a directory listing or an error
  });
});
