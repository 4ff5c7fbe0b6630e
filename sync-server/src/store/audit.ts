// The audit log: who (member, device) did what (action, target, detail), when, from where.
import type { AuditEntry } from '../../../src/shared/sync.ts';
import type { Queryable } from '../db/driver.ts';
import { iso } from './rows.ts';

export interface AuditEvent {
  teamId: string | null;
  memberId?: string | null;
  deviceId?: string | null;
  action: string;
  target?: string | null;
  detail?: unknown;
  ip?: string | null;
}

export async function audit(q: Queryable, e: AuditEvent): Promise<void> {
  await q.query('INSERT INTO audit_log (team_id, member_id, device_id, action, target, detail, ip) VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7)', [
    e.teamId,
    e.memberId ?? null,
    e.deviceId ?? null,
    e.action,
    e.target ?? null,
    e.detail === undefined ? null : JSON.stringify(e.detail),
    e.ip ?? null,
  ]);
}

export async function listAudit(q: Queryable, teamId: string, limit: number): Promise<AuditEntry[]> {
  const rows = await q.query<{
    id: string;
    at: Date;
    action: string;
    member_id: string | null;
    device_id: string | null;
    target: string | null;
    detail: unknown;
  }>('SELECT id::text AS id, at, action, member_id, device_id, target, detail FROM audit_log WHERE team_id = $1 ORDER BY id DESC LIMIT $2', [teamId, limit]);
  return rows.map((r) => ({ id: r.id, at: iso(r.at)!, action: r.action, memberId: r.member_id, deviceId: r.device_id, target: r.target, detail: r.detail }));
}
