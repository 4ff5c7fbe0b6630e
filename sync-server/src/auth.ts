// Secrets and who is asking. Device tokens, invite codes and setup codes are random; the server stores only
// their SHA-256 (a fast hash is right for 128+ bit random secrets) and compares hashes in constant time.
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Role } from '../../src/shared/sync.ts';
import type { Queryable } from './db/driver.ts';
import { HttpError } from './errors.ts';

export interface AuthContext {
  deviceId: string;
  memberId: string;
  teamId: string;
  role: Role;
  owner: boolean;
  name: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    auth: AuthContext | null;
  }
}

export const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');
export const newId = (): string => randomUUID();

// Crockford-like base32 without look-alikes: codes are typed by people.
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
/** 20 characters ≈ 100 bits, shown as XXXXX-XXXXX-XXXXX-XXXXX. */
export function newCode(): string {
  const bytes = randomBytes(20);
  const chars = [...bytes].map((b) => ALPHABET[b % 32]);
  return [0, 5, 10, 15].map((i) => chars.slice(i, i + 5).join('')).join('-');
}
/** People paste codes with spaces, lower case or without dashes. */
export const normaliseCode = (code: string): string =>
  code
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, '')
    .replace(/(.{5})(?=.)/g, '$1-');

/** `sld_<deviceId>.<secret>`: the id finds the row, the secret proves possession. */
export function newDeviceToken(deviceId: string): { token: string; hash: string } {
  const secret = randomBytes(32).toString('base64url');
  return { token: `sld_${deviceId}.${secret}`, hash: sha256(secret) };
}

function parseToken(token: string): { deviceId: string; secret: string } | null {
  const m = /^sld_([0-9a-f-]{36})\.([A-Za-z0-9_-]{43})$/.exec(token);
  return m ? { deviceId: m[1], secret: m[2] } : null;
}

const DUMMY_HASH = sha256('no such device');
function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}

interface DeviceRow {
  id: string;
  team_id: string;
  member_id: string;
  token_hash: string;
  revoked: boolean;
  role: Role;
  owner: boolean;
  name: string;
  stale: boolean;
}

/** The device a bearer token belongs to, or null when it is unknown, wrong or revoked. */
export async function verifyToken(db: Queryable, header: string | undefined): Promise<AuthContext | null> {
  const parsed = header?.startsWith('Bearer ') ? parseToken(header.slice(7).trim()) : null;
  const rows = parsed
    ? await db.query<DeviceRow>(
        `SELECT d.id, d.team_id, d.member_id, d.token_hash, d.revoked_at IS NOT NULL AS revoked, m.role, m.owner, m.name,
                (d.last_seen_at IS NULL OR d.last_seen_at < now() - interval '1 minute') AS stale
           FROM devices d JOIN members m ON m.id = d.member_id WHERE d.id = $1`,
        [parsed.deviceId],
      )
    : [];
  const row = rows[0];
  // Compare even when there is no row, so timing does not tell unknown ids from wrong secrets.
  const ok = sameHash(sha256(parsed?.secret ?? ''), row?.token_hash ?? DUMMY_HASH) && !!row && !row.revoked;
  if (!ok) return null;
  // last_seen_at at most once a minute: not one write per request.
  if (row.stale) await db.query('UPDATE devices SET last_seen_at = now() WHERE id = $1', [row.id]);
  return { deviceId: row.id, memberId: row.member_id, teamId: row.team_id, role: row.role, owner: row.owner, name: row.name };
}

/** preHandler: 401 unless the request carries a valid device token. */
export function requireDevice(db: Queryable) {
  return async (req: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    req.auth = await verifyToken(db, req.headers.authorization);
    if (!req.auth) throw new HttpError(401, 'missing, invalid or revoked device token: join the team again');
  };
}

/** The caller's identity; only for handlers behind requireDevice. */
export function authOf(req: FastifyRequest): AuthContext {
  if (!req.auth) throw new HttpError(401, 'not authenticated');
  return req.auth;
}

export function requireAdmin(req: FastifyRequest): AuthContext {
  const a = authOf(req);
  if (a.role !== 'admin') throw new HttpError(403, 'only a team admin may do this');
  return a;
}
