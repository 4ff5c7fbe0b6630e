// Graceful shutdown: close() lets in-flight requests finish while refusing new ones; SIGTERM on the real
// process finishes a push that is under way, exits 0 and leaves the data intact.
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../sync-server/src/app.ts';
import { openDatabase } from '../../sync-server/src/db/driver.ts';
import type { Analytics } from '../../src/shared/sync.ts';
import { startSyncServer } from '../../scripts/lib/sync-server-process.ts';
import { record } from './helpers.ts';
import { api, setupViaHttp } from './http.ts';

interface LogLine {
  msg?: string;
  reqId?: string;
  req?: { method?: string; url?: string };
}

/** The server's JSON log lines (pino), in order; other output is skipped. */
function logLines(output: string): LogLine[] {
  return output.split('\n').flatMap((l) => {
    try {
      return [JSON.parse(l) as LogLine];
    } catch {
      return [];
    }
  });
}

/** Waits until `pick` returns a value for a log line of the server; throws (with the log) when none comes in time. */
async function waitForLog<T>(output: () => string, pick: (l: LogLine) => T | undefined, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const l of logLines(output())) {
      const v = pick(l);
      if (v !== undefined) return v;
    }
    if (Date.now() > deadline) throw new Error(`the server did not log what was expected within ${timeoutMs} ms:\n${output().slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** POST /v1/records with the body's first half sent at once and the rest when finish() is called. */
function pushInTwoParts(base: string, token: string, body: Buffer): { finish(): void; response: Promise<{ status: number; body: unknown }> } {
  const url = new URL('/v1/records', base);
  const req = request(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': body.length },
  });
  const response = new Promise<{ status: number; body: unknown }>((resolve, reject) => {
    req.on('error', reject);
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as unknown }));
      res.on('error', reject);
    });
  });
  const half = Math.floor(body.length / 2);
  req.write(body.subarray(0, half));
  return { finish: () => req.end(body.subarray(half)), response };
}

describe('graceful shutdown', () => {
  it('close() finishes the request in flight, refuses new ones and does not wait for idle keep-alive sockets', async () => {
    const db = await openDatabase({});
    const app = await buildApp({ db, rateLimit: false });
    let started!: () => void;
    const inHandler = new Promise<void>((r) => (started = r));
    app.get('/slow', async () => {
      started();
      await new Promise((r) => setTimeout(r, 500));
      return { done: true };
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    try {
      const slow = fetch(`${url}/slow`).then(async (r) => ({ status: r.status, body: await r.json() }));
      await inHandler;
      const closing = app.close();
      const late = await fetch(`${url}/health`).then(
        (r) => r.status,
        () => 'refused',
      );
      expect([503, 'refused']).toContain(late);
      expect(await slow).toEqual({ status: 200, body: { done: true } });
      // The client's keep-alive socket does not hold close() open.
      const t = Date.now();
      await closing;
      expect(Date.now() - t).toBeLessThan(3000);
    } finally {
      await db.close();
    }
    // Opening the embedded database (PGlite) takes most of it, 30 s and more on a busy 2-core machine.
  }, 120_000);

  it('SIGTERM during a push: the push completes, the process exits 0, the records are there after a restart', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'sightline-term-'));
    const env = { DATA_DIR: dataDir, LOG_LEVEL: 'info', RATE_LIMIT_MAX: '1000' };
    let server = await startSyncServer({ env });
    try {
      const admin = await setupViaHttp(server.url, server.setupCode!);
      const body = Buffer.from(JSON.stringify({ protocol: 1, records: Array.from({ length: 500 }, () => record()) }));
      // The push's first half goes now, the rest only once the server is shutting down: SIGTERM certainly comes
      // while the request is in flight (its handler cannot have run yet).
      const push = pushInTwoParts(server.url, admin.token, body);
      const reqId = await waitForLog(server.output, (l) => (l.req?.method === 'POST' && l.req.url === '/v1/records' ? l.reqId : undefined));
      const exit = server.stop();
      await waitForLog(server.output, (l) => l.msg === 'shutting down: finishing in-flight requests' || undefined);
      push.finish();
      expect(await push.response).toEqual({ status: 200, body: { protocol: 1, accepted: 500, duplicates: 0 } });
      expect(await exit).toBe(0);
      const log = logLines(server.output());
      const shutdownAt = log.findIndex((l) => l.msg === 'shutting down: finishing in-flight requests');
      const completedAt = log.findIndex((l) => l.reqId === reqId && l.msg === 'request completed');
      expect(completedAt, 'the push completed after the shutdown began').toBeGreaterThan(shutdownAt);
      expect(log.at(-1)?.msg).toBe('shutdown complete');

      server = await startSyncServer({ env });
      const stats = await api<Analytics>(server.url, '/v1/analytics', { token: admin.token });
      expect(stats.body.totals.records).toBe(500);
    } finally {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
