// Shared steps for the sync-server tests: databases of either kind, the app without a port, a team with an
// admin and members, and records shaped like the app's.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import type { Database } from '../../sync-server/src/db/driver.ts';
import { openDatabase } from '../../sync-server/src/db/driver.ts';
import { buildApp, type App, type AppOptions } from '../../sync-server/src/app.ts';
import { issueSetupCode } from '../../sync-server/src/store/teams.ts';
import type { JoinResponse, SyncRecord } from '../../src/shared/sync.ts';
import { sampleRecord } from '../../scripts/lib/sync-sample.ts';

export type DbKind = 'pglite' | 'postgres';

export const pgUrl = (): string | null => inject('pgUrl');

/** A database URL on the shared test cluster, for one test file or one child-process run. */
export async function freshPgDatabase(prefix: string): Promise<string> {
  const admin = pgUrl();
  if (!admin) throw new Error('no PostgreSQL for this run');
  const name = `${prefix}_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const u = new URL(admin);
  u.pathname = `/${name}`;
  return u.toString();
}

export async function makeDb(kind: DbKind): Promise<Database> {
  if (kind === 'pglite') return openDatabase({});
  return openDatabase({ databaseUrl: await freshPgDatabase('routes'), poolMax: 5 });
}

export async function makeApp(db: Database, opts: Partial<AppOptions> = {}): Promise<App> {
  const app = await buildApp({ db, rateLimit: false, ...opts });
  await app.ready();
  return app;
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** Runs the setup flow: a setup code, then POST /v1/setup. */
export async function setupTeam(app: App, db: Database, teamName = 'Acme', name = 'Ann'): Promise<JoinResponse> {
  const setupCode = await issueSetupCode(db);
  if (!setupCode) throw new Error('server already set up');
  const res = await app.inject({ method: 'POST', url: '/v1/setup', payload: { setupCode, teamName, name } });
  if (res.statusCode !== 201) throw new Error(`setup: ${res.statusCode} ${res.body}`);
  return res.json<JoinResponse>();
}

export async function inviteCode(app: App, adminToken: string, role: 'admin' | 'member' = 'member', maxUses = 1): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/v1/invites', headers: bearer(adminToken), payload: { role, maxUses } });
  if (res.statusCode !== 201) throw new Error(`invite: ${res.statusCode} ${res.body}`);
  return res.json<{ code: string }>().code;
}

export async function joinTeam(app: App, adminToken: string, name: string, role: 'admin' | 'member' = 'member'): Promise<JoinResponse> {
  const code = await inviteCode(app, adminToken, role);
  const res = await app.inject({ method: 'POST', url: '/v1/join', payload: { inviteCode: code, name } });
  if (res.statusCode !== 201) throw new Error(`join: ${res.statusCode} ${res.body}`);
  return res.json<JoinResponse>();
}

/** A record as the app builds it: classification always, detection and faces when given. */
export const record = sampleRecord;

export const push = (app: App, token: string, records: SyncRecord[], protocol = 1) =>
  app.inject({ method: 'POST', url: '/v1/records', headers: bearer(token), payload: { protocol, records } });
