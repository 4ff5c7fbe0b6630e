// npm run bench:server [-- --devices 16 --batches 25 --batch-size 50 --db pglite,postgres --time-limit-s 120]
// Load benchmark of the sync server, loopback only: N simulated devices push batches concurrently to a real
// server process; a failed push is retried with the same ids, as the app does. Reports records/s, p50/p99
// push latency and the final exact count (lost, duplicated), per database. Bounded in count and time.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { JoinResponse, PullResponse, PushResponse, SyncRecord } from '../src/shared/sync.ts';
import { findPgBin, startPgCluster, type PgCluster } from '../scripts/lib/pg-cluster.ts';
import { randomRecord } from '../scripts/lib/sync-sample.ts';
import { ROOT, startSyncServer } from '../scripts/lib/sync-server-process.ts';
import { quantile } from './lib/stats.ts';

const { values } = parseArgs({
  options: {
    devices: { type: 'string', default: '16' },
    batches: { type: 'string', default: '25' },
    'batch-size': { type: 'string', default: '50' },
    db: { type: 'string', default: 'pglite,postgres' },
    'time-limit-s': { type: 'string', default: '120' },
  },
});
const DEVICES = Math.min(200, Number(values.devices));
const BATCHES = Math.min(1000, Number(values.batches));
const BATCH = Math.min(500, Number(values['batch-size']));
const LIMIT_MS = Math.min(600, Number(values['time-limit-s'])) * 1000;
const kinds = values.db!.split(',').map((s) => s.trim()) as ('pglite' | 'postgres')[];

interface Result {
  db: string;
  devices: number;
  batchSize: number;
  records: number;
  seconds: number;
  recordsPerSecond: number;
  p50ms: number;
  p99ms: number;
  retries: number;
  finalCount: number;
  lost: number;
  duplicated: number;
  note?: string;
}

async function call<T>(base: string, p: string, token?: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(base + p, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(60_000),
  });
  return { status: res.status, body: (await res.json()) as T };
}

async function runOne(kind: 'pglite' | 'postgres', cluster: PgCluster | null): Promise<Result> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'sightline-bench-'));
  const env: Record<string, string> = {
    RATE_LIMIT_MAX: '10000000',
    JOIN_RATE_LIMIT_MAX: '10000',
    LOG_LEVEL: 'error',
    PG_POOL_MAX: '10',
    MAX_BODY_BYTES: String(4 * 1024 * 1024),
  };
  if (kind === 'pglite') env.DATA_DIR = tmp;
  else env.DATABASE_URL = await cluster!.createDatabase(`bench_${Date.now()}`);
  const server = await startSyncServer({ env });
  try {
    const admin = (await call<JoinResponse>(server.url, '/v1/setup', undefined, { setupCode: server.setupCode, teamName: 'Bench', name: 'Admin' })).body;
    const tokens: string[] = [];
    for (let i = 0; i < DEVICES; i++) {
      const code = (await call<{ code: string }>(server.url, '/v1/invites', admin.token, {})).body.code;
      const joined = await call<JoinResponse>(server.url, '/v1/join', undefined, { inviteCode: code, name: `device-${i}` });
      if (joined.status !== 201) throw new Error(`join failed: ${joined.status} ${JSON.stringify(joined.body)}`);
      tokens.push(joined.body.token);
    }
    const batches: SyncRecord[][][] = tokens.map(() => Array.from({ length: BATCHES }, () => Array.from({ length: BATCH }, randomRecord)));
    const latencies: number[] = [];
    let retries = 0;
    let timedOut = false;
    const start = performance.now();
    const deadline = Date.now() + LIMIT_MS;
    await Promise.all(
      tokens.map(async (token, d) => {
        for (const batch of batches[d]) {
          for (let attempt = 0; ; attempt++) {
            if (Date.now() > deadline) {
              timedOut = true;
              return;
            }
            const t0 = performance.now();
            let why: string;
            try {
              const r = await call<PushResponse>(server.url, '/v1/records', token, { protocol: 1, records: batch });
              if (r.status === 200) {
                latencies.push(performance.now() - t0);
                break;
              }
              why = `${r.status} ${JSON.stringify(r.body)}`;
            } catch (e) {
              why = (e as Error).message; // retried below, same ids
            }
            retries++;
            if (attempt >= 5) throw new Error(`device ${d}: a batch failed 6 times (${why})\n${server.output().slice(-2000)}`);
            await new Promise((res) => setTimeout(res, 100 * 2 ** attempt));
          }
        }
      }),
    );
    const seconds = (performance.now() - start) / 1000;
    const expected = new Set(batches.flat(2).map((r) => r.id));
    const stored: string[] = [];
    for (let after: string | null = null; ;) {
      const page: PullResponse = (await call<PullResponse>(server.url, `/v1/records?limit=1000${after ? `&after=${after}` : ''}`, admin.token)).body;
      stored.push(...page.records.map((r) => r.record.id));
      if (!(after = page.next)) break;
    }
    const unique = new Set(stored);
    const sorted = latencies.sort((a, b) => a - b);
    return {
      db: kind === 'pglite' ? 'embedded (PGlite)' : 'PostgreSQL 15',
      devices: DEVICES,
      batchSize: BATCH,
      records: expected.size,
      seconds: Math.round(seconds * 100) / 100,
      recordsPerSecond: Math.round(expected.size / seconds),
      p50ms: Math.round(quantile(sorted, 0.5) * 10) / 10,
      p99ms: Math.round(quantile(sorted, 0.99) * 10) / 10,
      retries,
      finalCount: stored.length,
      lost: [...expected].filter((id) => !unique.has(id)).length,
      duplicated: stored.length - unique.size,
      note: timedOut ? `stopped at the ${LIMIT_MS / 1000} s limit` : undefined,
    };
  } finally {
    await server.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
}

// Other work on the machine lowers the figures: the load average before the run goes with them.
const load = os.loadavg()[0].toFixed(1);
const results: Result[] = [];
let cluster: PgCluster | null = null;
try {
  for (const kind of kinds) {
    if (kind === 'postgres' && !findPgBin()) {
      console.log('PostgreSQL binaries not found (apt-get install postgresql): skipping the PostgreSQL run');
      continue;
    }
    if (kind === 'postgres') cluster = await startPgCluster();
    console.log(`${kind}: ${DEVICES} devices × ${BATCHES} batches × ${BATCH} records…`);
    results.push(await runOne(kind, cluster));
  }
} finally {
  cluster?.stop();
}

const cols: [string, (r: Result) => string][] = [
  ['db', (r) => r.db],
  ['devices', (r) => String(r.devices)],
  ['records', (r) => String(r.records)],
  ['records/s', (r) => String(r.recordsPerSecond)],
  ['p50 ms', (r) => r.p50ms.toFixed(1)],
  ['p99 ms', (r) => r.p99ms.toFixed(1)],
  ['final count', (r) => String(r.finalCount)],
  ['lost', (r) => String(r.lost)],
  ['duplicated', (r) => String(r.duplicated)],
];
const widths = cols.map(([h, f]) => Math.max(h.length, ...results.map((r) => f(r).length)));
const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
console.log('\n' + line(cols.map(([h]) => h)));
for (const r of results) console.log(line(cols.map(([, f]) => f(r))) + (r.note ? `  (${r.note})` : ''));
console.log(
  `\nbatch size ${BATCH} records per push; latency is one push request (loopback, ${os.cpus().length} cores, load average before the run ${load}); retries: ${results.map((r) => r.retries).join(', ')}`,
);

const dir = path.join(ROOT, 'bench', 'results');
mkdirSync(dir, { recursive: true });
const file = path.join(dir, `server-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(
  file,
  JSON.stringify({ date: new Date().toISOString(), cores: os.cpus().length, loadAverage: Number(load), node: process.version, results }, null, 2) + '\n',
);
console.log(`written ${path.relative(ROOT, file)}`);
if (results.some((r) => r.lost || r.duplicated || r.note)) process.exit(1);
