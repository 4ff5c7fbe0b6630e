// Server settings from environment variables (README "Team sync" lists them); bad values stop the start.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { RateLimits } from './app.ts';

export const ROOT = path.resolve(import.meta.dirname, '../..');

export interface ServerConfig {
  port: number;
  host: string;
  databaseUrl?: string;
  dataDir: string;
  allowedOrigins: string[];
  bodyLimit: number;
  rateLimit: RateLimits | false;
  trustProxy: boolean;
  staticDir: string | null;
  modelsDir: string | null;
  logLevel: string;
  metricsToken?: string;
  poolMax: number;
  shutdownTimeoutMs: number;
}

function int(env: NodeJS.ProcessEnv, name: string, def: number, min = 0): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return def;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be an integer ≥ ${min}, got "${raw}"`);
  return n;
}

const flag = (v: string | undefined) => /^(1|true|yes|on)$/i.test(v ?? '');

export function loadConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) throw new Error('DATABASE_URL must start with postgres:// or postgresql://');
  const origins = (env.ALLOWED_ORIGINS ?? '')
    .split(',')
    .map((o) => o.trim().replace(/\/$/, ''))
    .filter(Boolean);
  for (const o of origins) if (!/^https?:\/\/[^/]+$/.test(o)) throw new Error(`ALLOWED_ORIGINS: "${o}" is not an origin like https://app.example.com`);
  const dist = path.join(ROOT, 'dist');
  const staticEnv = env.STATIC_DIR;
  const staticDir = staticEnv === 'none' ? null : staticEnv ? path.resolve(staticEnv) : existsSync(path.join(dist, 'index.html')) ? dist : null;
  return {
    port: int(env, 'PORT', 8080),
    host: env.HOST || '127.0.0.1',
    databaseUrl,
    dataDir: path.resolve(env.DATA_DIR || path.join(ROOT, '.sightline-data')),
    allowedOrigins: origins,
    bodyLimit: int(env, 'MAX_BODY_BYTES', 1024 * 1024, 1024),
    rateLimit: /^(off|false|0)$/i.test(env.RATE_LIMIT ?? '')
      ? false
      : { max: int(env, 'RATE_LIMIT_MAX', 120, 1), joinMax: int(env, 'JOIN_RATE_LIMIT_MAX', 10, 1), windowMs: int(env, 'RATE_LIMIT_WINDOW_MS', 60_000, 1000) },
    trustProxy: flag(env.TRUST_PROXY),
    staticDir,
    modelsDir: staticDir ? path.resolve(env.MODELS_DIR || path.join(ROOT, 'models')) : null,
    logLevel: env.LOG_LEVEL || 'info',
    metricsToken: env.METRICS_TOKEN || undefined,
    poolMax: int(env, 'PG_POOL_MAX', 10, 1),
    shutdownTimeoutMs: int(env, 'SHUTDOWN_TIMEOUT_MS', 10_000, 100),
  };
}
