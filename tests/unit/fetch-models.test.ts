// scripts/lib/models.ts against real files: a temp mirror, a temp target folder and a local HTTP server.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fetchModels, sha256File } from '../../scripts/lib/models';
import { findModel, type ModelEntry, type ModelManifest } from '../../src/shared/manifest';
import { DATA, loadManifest } from './paths';

const entry = findModel(loadManifest(), 'mobilenetv2-12-int8');
const bytes = readFileSync(path.join(DATA, 'models', entry.file)); // 3.6 MB
const manifestOf = (...models: ModelEntry[]): ModelManifest => ({ ...loadManifest(), models });

let tmp: string;
let dir: string; // target, created by fetchModels
let mirror: string;
beforeEach(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'sightline-models-'));
  dir = path.join(tmp, 'files');
  mirror = path.join(tmp, 'mirror');
  mkdirSync(mirror);
});
afterEach(() => rmSync(tmp, { recursive: true, force: true }));

// One local server for the download cases; the path picks the behaviour.
let server: Server;
let base: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/m.onnx') {
      res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': bytes.length });
      res.end(bytes);
    } else if (req.url === '/short.onnx') {
      // a complete response, but only half the file
      const half = bytes.subarray(0, bytes.length >> 1);
      res.writeHead(200, { 'Content-Length': half.length });
      res.end(half);
    } else if (req.url === '/cut.onnx') {
      // promises the whole file, sends half, then the connection drops
      res.writeHead(200, { 'Content-Length': bytes.length });
      res.write(bytes.subarray(0, bytes.length >> 1), () => setTimeout(() => res.socket?.destroy(), 20));
    } else {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const targetFiles = () => readdirSync(dir);

describe('fetchModels from a mirror', () => {
  it('copies on the first run and finds it cached on the second', async () => {
    writeFileSync(path.join(mirror, entry.file), bytes);
    const manifest = manifestOf(entry);
    const progress: number[] = [];
    const log: string[] = [];
    const first = await fetchModels({ manifest, dir, mirror, progress: (_f, done) => progress.push(done), log: (l) => log.push(l) });
    expect(first).toEqual([{ id: entry.id, file: entry.file, status: 'copied', message: `from mirror ${mirror}, sha256 verified` }]);
    expect(targetFiles()).toEqual([entry.file]);
    expect(statSync(path.join(dir, entry.file)).size).toBe(entry.size);
    expect(await sha256File(path.join(dir, entry.file))).toBe(entry.sha256);
    expect(progress.at(-1)).toBe(entry.size);
    expect(log).toHaveLength(1);
    expect(log[0]).toMatch(/^copied +mobilenetv2-12-int8\.onnx: from mirror/);

    const second = await fetchModels({ manifest, dir, mirror });
    expect(second).toEqual([{ id: entry.id, file: entry.file, status: 'cached', message: 'present, sha256 verified' }]);
  });

  it('a mirror file with one flipped byte fails on sha256 and leaves nothing in the target', async () => {
    const bad = Buffer.from(bytes);
    bad[bad.length >> 1] ^= 0x01;
    writeFileSync(path.join(mirror, entry.file), bad);
    const [r] = await fetchModels({ manifest: manifestOf(entry), dir, mirror });
    expect(r.status).toBe('failed');
    expect(r.id).toBe(entry.id);
    expect(r.message).toContain('mobilenetv2-12-int8.onnx');
    expect(r.message).toContain('sha256');
    expect(r.message).toContain(entry.sha256);
    expect(targetFiles()).toEqual([]); // not even a .part
  });

  it('a mirror file of the wrong size fails on size', async () => {
    writeFileSync(path.join(mirror, entry.file), bytes.subarray(0, 1000));
    const [r] = await fetchModels({ manifest: manifestOf(entry), dir, mirror });
    expect(r).toMatchObject({ status: 'failed', message: `${entry.file}: got 1000 bytes, the manifest says ${entry.size}` });
    expect(targetFiles()).toEqual([]);
  });

  it('replaces a damaged file in the target', async () => {
    mkdirSync(dir);
    writeFileSync(path.join(dir, entry.file), Buffer.alloc(entry.size)); // right size, wrong content
    writeFileSync(path.join(mirror, entry.file), bytes);
    const [r] = await fetchModels({ manifest: manifestOf(entry), dir, mirror });
    expect(r.status).toBe('copied');
    expect(await sha256File(path.join(dir, entry.file))).toBe(entry.sha256);
  });
});

describe('fetchModels by download', () => {
  const remote = (url: string): ModelEntry => ({ ...entry, url });

  it('downloads a model absent from the mirror', async () => {
    const url = `${base}/m.onnx`;
    const [r] = await fetchModels({ manifest: manifestOf(remote(url)), dir, mirror });
    expect(r).toEqual({ id: entry.id, file: entry.file, status: 'downloaded', message: `from ${url}, sha256 verified` });
    expect(await sha256File(path.join(dir, entry.file))).toBe(entry.sha256);
    expect(targetFiles()).toEqual([entry.file]);
  });

  it('downloads without any mirror configured', async () => {
    const [r] = await fetchModels({ manifest: manifestOf(remote(`${base}/m.onnx`)), dir });
    expect(r.status).toBe('downloaded');
  });

  it('HTTP 404 fails with the status', async () => {
    const url = `${base}/gone.onnx`;
    const [r] = await fetchModels({ manifest: manifestOf(remote(url)), dir, mirror });
    expect(r).toEqual({ id: entry.id, file: entry.file, status: 'failed', message: `${entry.file}: download failed (HTTP 404) from ${url}` });
    expect(targetFiles()).toEqual([]);
  });

  it('a short download fails and leaves nothing behind', async () => {
    const [r] = await fetchModels({ manifest: manifestOf(remote(`${base}/short.onnx`)), dir, mirror });
    expect(r.status).toBe('failed');
    expect(r.message).toBe(`${entry.file}: got ${bytes.length >> 1} bytes, the manifest says ${entry.size}`);
    expect(targetFiles()).toEqual([]);
  });

  it('a connection dropped mid-body fails and leaves nothing behind', async () => {
    const [r] = await fetchModels({ manifest: manifestOf(remote(`${base}/cut.onnx`)), dir, mirror });
    expect(r.status).toBe('failed');
    expect(r.message.length).toBeGreaterThan(0);
    expect(targetFiles()).toEqual([]);
  });

  it('an unreachable server fails (port closed)', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const [r] = await fetchModels({ manifest: manifestOf(remote(`http://127.0.0.1:${port}/m.onnx`)), dir });
    expect(r.status).toBe('failed');
  });

  it('uses fetchImpl when given', async () => {
    const seen: string[] = [];
    const fetchImpl = (async (u: string) => {
      seen.push(u);
      return new Response(bytes);
    }) as unknown as typeof fetch;
    const [r] = await fetchModels({ manifest: manifestOf(remote('https://models.invalid/m.onnx')), dir, fetchImpl });
    expect(r.status).toBe('downloaded');
    expect(seen).toEqual(['https://models.invalid/m.onnx']);
  });
});

describe('fetchModels selection', () => {
  const optional: ModelEntry = { ...entry, id: 'opt-model', file: 'opt-model.onnx', url: null, optional: true };

  it("only: ['nope'] reports the unknown id and fetches nothing", async () => {
    writeFileSync(path.join(mirror, entry.file), bytes);
    const reports = await fetchModels({ manifest: manifestOf(entry), dir, mirror, only: ['nope'] });
    expect(reports).toEqual([{ id: 'nope', file: '', status: 'failed', message: "unknown model id 'nope'" }]);
    expect(targetFiles()).toEqual([]);
  });

  it('an optional model not in the mirror and without URL is skipped (with --all)', async () => {
    writeFileSync(path.join(mirror, entry.file), bytes);
    const reports = await fetchModels({ manifest: manifestOf(entry, optional), dir, mirror, all: true });
    expect(reports.map((r) => [r.id, r.status])).toEqual([
      [entry.id, 'copied'],
      ['opt-model', 'skipped'],
    ]);
    expect(reports[1].message).toMatch(/^opt-model\.onnx: not in the mirror and there is no public download URL/);
  });

  it('by default optional models are left out entirely', async () => {
    writeFileSync(path.join(mirror, entry.file), bytes);
    const reports = await fetchModels({ manifest: manifestOf(entry, optional), dir, mirror });
    expect(reports.map((r) => r.id)).toEqual([entry.id]);
  });

  it('an optional model asked for by id fails instead of being skipped', async () => {
    const reports = await fetchModels({ manifest: manifestOf(entry, optional), dir, mirror, only: ['opt-model'] });
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({ id: 'opt-model', status: 'failed' });
  });

  it('a required model with nowhere to come from fails', async () => {
    const [r] = await fetchModels({ manifest: manifestOf({ ...entry, url: null }), dir, mirror });
    expect(r.status).toBe('failed');
    expect(r.message).toContain('not in the mirror and there is no public download URL');
  });
});

describe('fetchModels for a model built locally (derive)', () => {
  const derived: ModelEntry = { ...entry, id: 'built', file: 'built.onnx', url: null, derive: { from: entry.id, recipe: 'quant/x.json' } };
  const made = new Uint8Array(bytes.subarray(0, 1000));
  const builtEntry = { ...derived, size: made.length, sha256: createHash('sha256').update(made).digest('hex') };

  it('fetches the source first (even when only the derived model is asked for), builds, verifies and reports it', async () => {
    writeFileSync(path.join(mirror, entry.file), bytes);
    const calls: string[] = [];
    const derive = async (e: ModelEntry, src: string) => (calls.push(`${e.id} from ${path.basename(src)}`), made);
    const reports = await fetchModels({ manifest: manifestOf(entry, builtEntry), dir, mirror, only: ['built'], derive });
    expect(reports.map((r) => [r.id, r.status])).toEqual([
      [entry.id, 'copied'],
      ['built', 'built'],
    ]);
    expect(reports[1].message).toBe(`from ${entry.file} with quant/x.json, sha256 verified`);
    expect(calls).toEqual([`built from ${entry.file}`]);
    expect(readFileSync(path.join(dir, 'built.onnx'))).toEqual(Buffer.from(made));
    // second run: nothing to build
    const again = await fetchModels({ manifest: manifestOf(entry, builtEntry), dir, mirror, only: ['built'], derive });
    expect(again.map((r) => r.status)).toEqual(['cached', 'cached']);
    expect(calls).toHaveLength(1);
  });

  it('a build that does not give the manifest bytes fails and leaves nothing behind', async () => {
    writeFileSync(path.join(mirror, entry.file), bytes);
    const derive = async () => new Uint8Array(made.length).fill(7);
    const reports = await fetchModels({ manifest: manifestOf(entry, builtEntry), dir, mirror, derive });
    expect(reports[1]).toMatchObject({ id: 'built', status: 'failed' });
    expect(reports[1].message).toMatch(/^built\.onnx: sha256 [0-9a-f]{64} does not match the manifest's/);
    expect(targetFiles()).toEqual([entry.file]);
  });

  it('a missing source is named', async () => {
    const reports = await fetchModels({ manifest: manifestOf({ ...entry, url: null }, builtEntry), dir, mirror, derive: async () => made });
    expect(reports[1]).toMatchObject({ id: 'built', status: 'failed' });
    expect(reports[1].message).toBe(`built.onnx: is built from ${entry.file}, which is missing or does not match the manifest`);
  });
});
