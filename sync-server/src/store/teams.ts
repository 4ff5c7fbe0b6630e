// Teams, members, devices and invites. Every query that takes an AuthContext is filtered by its team_id:
// a token from one team can neither see nor change another team's rows.
import type {
  DeviceInfo,
  InviteInfo,
  InviteRequest,
  InviteResponse,
  JoinRequest,
  JoinResponse,
  MemberInfo,
  Role,
  SetupRequest,
  TeamInfo,
} from '../../../src/shared/sync.ts';
import { PROTOCOL_VERSION } from '../../../src/shared/sync-constants.ts';
import { newCode, newDeviceToken, newId, normaliseCode, sha256, type AuthContext } from '../auth.ts';
import type { Database, Queryable } from '../db/driver.ts';
import { HttpError } from '../errors.ts';
import { audit } from './audit.ts';
import { iso } from './rows.ts';

const SETUP_LOCK = 7_201_009;
const codeHash = (code: string) => sha256(normaliseCode(code));

interface TeamRow {
  id: string;
  name: string;
  share_face_descriptors: boolean;
}
const team = (r: TeamRow): TeamInfo => ({ id: r.id, name: r.name, shareFaceDescriptors: r.share_face_descriptors });

async function getTeam(q: Queryable, id: string): Promise<TeamInfo> {
  const [r] = await q.query<TeamRow>('SELECT id, name, share_face_descriptors FROM teams WHERE id = $1', [id]);
  return team(r);
}

/** While no team exists, every start issues a new one-time setup code (only its hash is kept). */
export async function issueSetupCode(db: Database): Promise<string | null> {
  const [{ n }] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM teams');
  if (n > 0) return null;
  const code = newCode();
  await db.query('INSERT INTO setup_codes (code_hash) VALUES ($1)', [codeHash(code)]);
  return code;
}

async function addMember(
  q: Queryable,
  teamId: string,
  m: { name: string; role: Role; owner: boolean; deviceLabel?: string },
): Promise<Omit<JoinResponse, 'team' | 'protocol'>> {
  const memberId = newId();
  const deviceId = newId();
  const { token, hash } = newDeviceToken(deviceId);
  await q.query('INSERT INTO members (id, team_id, name, role, owner) VALUES ($1, $2, $3, $4, $5)', [memberId, teamId, m.name, m.role, m.owner]);
  await q.query('INSERT INTO devices (id, team_id, member_id, token_hash, label) VALUES ($1, $2, $3, $4, $5)', [
    deviceId,
    teamId,
    memberId,
    hash,
    m.deviceLabel ?? null,
  ]);
  return { token, deviceId, member: { id: memberId, name: m.name, role: m.role, owner: m.owner } };
}

/** Creates the first team and its admin (the server owner); the code then stops working, as do all others. */
export async function setup(db: Database, req: SetupRequest, ip: string): Promise<JoinResponse> {
  return db.tx(async (q) => {
    await q.query('SELECT pg_advisory_xact_lock($1)', [SETUP_LOCK]);
    const [{ n }] = await q.query<{ n: number }>('SELECT count(*)::int AS n FROM teams');
    if (n > 0) throw new HttpError(409, 'this server is already set up: ask an admin for an invite code');
    const used = await q.query('DELETE FROM setup_codes WHERE code_hash = $1 RETURNING code_hash', [codeHash(req.setupCode)]);
    if (!used.length) throw new HttpError(403, 'wrong setup code: use the one the server printed at its last start');
    await q.query('DELETE FROM setup_codes');
    const teamId = newId();
    await q.query('INSERT INTO teams (id, name) VALUES ($1, $2)', [teamId, req.teamName]);
    const m = await addMember(q, teamId, { name: req.name, role: 'admin', owner: true, deviceLabel: req.deviceLabel });
    await audit(q, { teamId, memberId: m.member.id, deviceId: m.deviceId, action: 'server.setup', target: teamId, detail: { team: req.teamName }, ip });
    return { protocol: PROTOCOL_VERSION, team: await getTeam(q, teamId), ...m };
  });
}

/** The server owner creates another team; its first admin joins with the returned invite code. */
export async function createTeam(db: Database, a: AuthContext, name: string, ip: string): Promise<{ team: TeamInfo; adminInviteCode: string }> {
  if (!a.owner) throw new HttpError(403, 'only the server owner (who ran the setup) may create teams');
  return db.tx(async (q) => {
    const teamId = newId();
    await q.query('INSERT INTO teams (id, name) VALUES ($1, $2)', [teamId, name]);
    const code = newCode();
    await q.query(`INSERT INTO invites (id, team_id, code_hash, role, max_uses, expires_at) VALUES ($1, $2, $3, 'admin', 1, now() + interval '7 days')`, [
      newId(),
      teamId,
      codeHash(code),
    ]);
    await audit(q, { teamId: a.teamId, memberId: a.memberId, deviceId: a.deviceId, action: 'team.create', target: teamId, detail: { name }, ip });
    await audit(q, { teamId, memberId: a.memberId, deviceId: a.deviceId, action: 'team.create', target: teamId, detail: { name }, ip });
    return { team: await getTeam(q, teamId), adminInviteCode: code };
  });
}

export async function join(db: Database, req: JoinRequest, ip: string): Promise<JoinResponse> {
  return db.tx(async (q) => {
    // One atomic statement: two devices racing for the last use of an invite cannot both win.
    const [inv] = await q.query<{ id: string; team_id: string; role: Role }>(
      `UPDATE invites SET uses = uses + 1
        WHERE code_hash = $1 AND revoked_at IS NULL AND expires_at > now() AND uses < max_uses
        RETURNING id, team_id, role`,
      [codeHash(req.inviteCode)],
    );
    if (!inv) throw new HttpError(403, 'invite code not valid: it may be mistyped, expired, revoked or used up');
    const m = await addMember(q, inv.team_id, { name: req.name, role: inv.role, owner: false, deviceLabel: req.deviceLabel });
    await audit(q, {
      teamId: inv.team_id,
      memberId: m.member.id,
      deviceId: m.deviceId,
      action: 'device.join',
      target: inv.id,
      detail: { name: req.name, role: inv.role },
      ip,
    });
    return { protocol: PROTOCOL_VERSION, team: await getTeam(q, inv.team_id), ...m };
  });
}

export async function me(db: Database, a: AuthContext): Promise<{ team: TeamInfo; member: MemberInfo }> {
  return { team: await getTeam(db, a.teamId), member: { id: a.memberId, name: a.name, role: a.role, owner: a.owner } };
}

export async function updateTeam(db: Database, a: AuthContext, patch: { name?: string; shareFaceDescriptors?: boolean }, ip: string): Promise<TeamInfo> {
  return db.tx(async (q) => {
    await q.query('UPDATE teams SET name = COALESCE($2, name), share_face_descriptors = COALESCE($3, share_face_descriptors) WHERE id = $1', [
      a.teamId,
      patch.name ?? null,
      patch.shareFaceDescriptors ?? null,
    ]);
    await audit(q, { teamId: a.teamId, memberId: a.memberId, deviceId: a.deviceId, action: 'team.update', target: a.teamId, detail: patch, ip });
    return getTeam(q, a.teamId);
  });
}

interface InviteRow {
  id: string;
  role: Role;
  max_uses: number;
  uses: number;
  expires_at: Date;
  revoked: boolean;
}
const invite = (r: InviteRow): InviteInfo => ({ id: r.id, role: r.role, maxUses: r.max_uses, uses: r.uses, expiresAt: iso(r.expires_at)!, revoked: r.revoked });
const INVITE_COLS = 'id, role, max_uses, uses, expires_at, revoked_at IS NOT NULL AS revoked';

export async function createInvite(db: Database, a: AuthContext, req: InviteRequest, ip: string): Promise<InviteResponse> {
  const code = newCode();
  const id = newId();
  return db.tx(async (q) => {
    const [row] = await q.query<InviteRow>(
      `INSERT INTO invites (id, team_id, code_hash, role, max_uses, expires_at, created_by)
       VALUES ($1, $2, $3, $4, $5, now() + make_interval(hours => $6), $7) RETURNING ${INVITE_COLS}`,
      [id, a.teamId, codeHash(code), req.role ?? 'member', req.maxUses ?? 1, req.expiresInHours ?? 72, a.memberId],
    );
    await audit(q, {
      teamId: a.teamId,
      memberId: a.memberId,
      deviceId: a.deviceId,
      action: 'invite.create',
      target: id,
      detail: { role: row.role, maxUses: row.max_uses },
      ip,
    });
    return { ...invite(row), code };
  });
}

export async function listInvites(db: Database, a: AuthContext): Promise<InviteInfo[]> {
  return (await db.query<InviteRow>(`SELECT ${INVITE_COLS} FROM invites WHERE team_id = $1 ORDER BY created_at DESC`, [a.teamId])).map(invite);
}

export async function revokeInvite(db: Database, a: AuthContext, id: string, ip: string): Promise<boolean> {
  return db.tx(async (q) => {
    const rows = await q.query('UPDATE invites SET revoked_at = COALESCE(revoked_at, now()) WHERE id = $1 AND team_id = $2 RETURNING id', [id, a.teamId]);
    if (rows.length) await audit(q, { teamId: a.teamId, memberId: a.memberId, deviceId: a.deviceId, action: 'invite.revoke', target: id, ip });
    return rows.length > 0;
  });
}

export async function listDevices(db: Database, a: AuthContext): Promise<DeviceInfo[]> {
  const rows = await db.query<{
    id: string;
    member_id: string;
    name: string;
    role: Role;
    label: string | null;
    created_at: Date;
    last_seen_at: Date | null;
    revoked: boolean;
  }>(
    `SELECT d.id, d.member_id, m.name, m.role, d.label, d.created_at, d.last_seen_at, d.revoked_at IS NOT NULL AS revoked
       FROM devices d JOIN members m ON m.id = d.member_id WHERE d.team_id = $1 ORDER BY d.created_at`,
    [a.teamId],
  );
  return rows.map((r) => ({
    id: r.id,
    memberId: r.member_id,
    memberName: r.name,
    role: r.role,
    label: r.label,
    createdAt: iso(r.created_at)!,
    lastSeenAt: iso(r.last_seen_at),
    revoked: r.revoked,
  }));
}

/** Admins may revoke any device of their team, members only their own. False when there is no such device. */
export async function revokeDevice(db: Database, a: AuthContext, deviceId: string, ip: string, action = 'device.revoke'): Promise<boolean> {
  if (a.role !== 'admin' && deviceId !== a.deviceId) throw new HttpError(403, 'members may only revoke their own device');
  return db.tx(async (q) => {
    const rows = await q.query('UPDATE devices SET revoked_at = COALESCE(revoked_at, now()) WHERE id = $1 AND team_id = $2 RETURNING id', [deviceId, a.teamId]);
    if (rows.length) await audit(q, { teamId: a.teamId, memberId: a.memberId, deviceId: a.deviceId, action, target: deviceId, ip });
    return rows.length > 0;
  });
}
