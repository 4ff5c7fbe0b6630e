// Server settings from the environment: defaults, and bad values refused with a message naming the variable.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../sync-server/src/config.ts';

describe('sync-server config', () => {
  it('defaults: loopback, embedded database, strict limits, no CORS origins', () => {
    const c = loadConfig({ STATIC_DIR: 'none' });
    expect(c).toMatchObject({
      port: 8080,
      host: '127.0.0.1',
      databaseUrl: undefined,
      allowedOrigins: [],
      bodyLimit: 1048576,
      trustProxy: false,
      staticDir: null,
    });
    expect(c.rateLimit).toEqual({ max: 120, joinMax: 10, windowMs: 60000 });
    expect(c.dataDir).toMatch(/\.sightline-data$/);
  });

  it('reads every variable', () => {
    const c = loadConfig({
      PORT: '9000',
      HOST: '0.0.0.0',
      DATABASE_URL: 'postgres://u@db:5432/s',
      ALLOWED_ORIGINS: 'https://a.example.com, https://b.example.com/',
      MAX_BODY_BYTES: '2048',
      RATE_LIMIT_MAX: '5',
      JOIN_RATE_LIMIT_MAX: '2',
      TRUST_PROXY: 'yes',
      STATIC_DIR: 'none',
      METRICS_TOKEN: 't',
      PG_POOL_MAX: '3',
    });
    expect(c).toMatchObject({
      port: 9000,
      host: '0.0.0.0',
      databaseUrl: 'postgres://u@db:5432/s',
      bodyLimit: 2048,
      trustProxy: true,
      metricsToken: 't',
      poolMax: 3,
    });
    expect(c.allowedOrigins).toEqual(['https://a.example.com', 'https://b.example.com']);
    expect(c.rateLimit).toMatchObject({ max: 5, joinMax: 2 });
    expect(loadConfig({ RATE_LIMIT: 'off', STATIC_DIR: 'none' }).rateLimit).toBe(false);
  });

  it('refuses bad values, naming the variable', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
    expect(() => loadConfig({ ALLOWED_ORIGINS: '*' })).toThrow(/ALLOWED_ORIGINS/);
    expect(() => loadConfig({ MAX_BODY_BYTES: '10' })).toThrow(/MAX_BODY_BYTES/);
  });
});
