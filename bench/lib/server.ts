// Builds the app and runs scripts/serve.ts (dist/ + models/ with COOP/COEP) as a child process on a free port.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { log } from './stats.ts';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');

/** Runs a command to completion; resolves with its combined output, rejects with the tail of it. */
function runCommand(cmd: string, args: string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`\`${cmd} ${args.join(' ')}\` failed (${signal ?? `exit ${code}`}):\n${out.split('\n').slice(-30).join('\n')}`));
    });
  });
}

export async function buildApp(): Promise<number> {
  log('building the app (npx vite build)…');
  const t0 = Date.now();
  await runCommand('npx', ['vite', 'build'], 300_000);
  const ms = Date.now() - t0;
  log(`build done in ${(ms / 1000).toFixed(1)} s`);
  return ms;
}

export function checkPrerequisites(): void {
  if (!existsSync(path.join(ROOT, 'dist', 'index.html'))) throw new Error('dist/index.html is missing: run `npx vite build` or drop --no-build');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export interface Server {
  url: string;
  /** Headers of GET / (the bench checks cross-origin isolation on them). */
  headers: Record<string, string>;
  /** Null while it runs; how it ended (and its last output) once it has exited. */
  exitInfo(): string | null;
  stop(): Promise<void>;
}

export async function startServer(preferredPort?: number): Promise<Server> {
  const port = preferredPort ?? (await freePort());
  const url = `http://127.0.0.1:${port}/`;
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'scripts/serve.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  let exited = false;
  let exitInfo: string | null = null;
  let stopping = false;
  const exit = new Promise<void>((resolve) =>
    child.on('exit', (code, signal) => {
      exited = true;
      exitInfo = `${signal ? `killed by ${signal}` : `exit code ${code}`}${stopping ? '' : ' (not stopped by the bench)'}; output: ${out.trim().split('\n').slice(-5).join(' | ')}`;
      resolve();
    }),
  );

  const stop = async () => {
    if (exited) return;
    stopping = true;
    child.kill('SIGTERM');
    const killed = await Promise.race([exit.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 3000))]);
    if (!killed) {
      child.kill('SIGKILL');
      await exit;
    }
  };

  // Poll until it answers (tsx start-up takes a second or two on this machine).
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (exited) throw new Error(`scripts/serve.ts exited before serving:\n${out}`);
    try {
      const res = await fetch(url);
      await res.arrayBuffer();
      if (res.ok) {
        log(`serving dist/ and models/ at ${url} (pid ${child.pid})`);
        return { url, headers: Object.fromEntries(res.headers.entries()), exitInfo: () => exitInfo, stop };
      }
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`scripts/serve.ts did not answer at ${url} within 30 s:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}
