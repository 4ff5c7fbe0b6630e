// Runs sync-server/src/main.ts as a child process on 127.0.0.1 (fault, scale-out and e2e tests, benchmark):
// waits until /health answers, captures the one-time setup code, and can be stopped or killed.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { freePort } from './pg-cluster.ts';

export const ROOT = path.resolve(import.meta.dirname, '../..');

export interface SyncServerProcess {
  url: string;
  port: number;
  pid: number;
  /** Printed at start while no team exists; null otherwise. */
  setupCode: string | null;
  output(): string;
  /** SIGKILL: no shutdown at all (fault tests). */
  kill(): Promise<void>;
  /** SIGTERM: graceful; resolves with the exit code. */
  stop(): Promise<number | null>;
  exited(): boolean;
}

export interface StartOptions {
  port?: number;
  /** DATA_DIR, DATABASE_URL, RATE_LIMIT_MAX, STATIC_DIR, … */
  env?: Record<string, string>;
  timeoutMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startSyncServer(opts: StartOptions = {}): Promise<SyncServerProcess> {
  const port = opts.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'sync-server/src/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', STATIC_DIR: 'none', ...opts.env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  let exitCode: number | null | undefined;
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve((exitCode = code))));

  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  for (;;) {
    if (exitCode !== undefined) throw new Error(`sync server exited (${exitCode}) while starting:\n${out.slice(-3000)}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`sync server did not start within ${opts.timeoutMs ?? 60_000} ms:\n${out.slice(-3000)}`);
    }
    // The banner (with the setup code, if any) is printed once listening.
    if (/Sightline sync server on/.test(out)) {
      try {
        if ((await fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) })).ok) break;
      } catch {
        // not yet
      }
    }
    await sleep(100);
  }
  const setupCode = /setup code: ([A-Z0-9-]+)/.exec(out)?.[1] ?? null;

  return {
    url,
    port,
    pid: child.pid!,
    setupCode,
    output: () => out,
    exited: () => exitCode !== undefined,
    async kill() {
      if (exitCode === undefined) child.kill('SIGKILL');
      await exit;
    },
    async stop() {
      if (exitCode === undefined) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      const code = await exit;
      clearTimeout(timer);
      return code;
    },
  };
}
