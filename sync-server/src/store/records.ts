// Pushed records: one transaction per batch, INSERT … ON CONFLICT DO NOTHING on (team_id, id) so a retried
// or concurrently re-sent batch stores each record once, and child rows only for records inserted now.
import type { PullResponse, SyncRecord } from '../../../src/shared/sync.ts';
import type { AuthContext } from '../auth.ts';
import type { Database } from '../db/driver.ts';
import { HttpError } from '../errors.ts';
import { audit } from './audit.ts';
import { iso } from './rows.ts';

export interface PushOutcome {
  accepted: number;
  duplicates: number;
}

const uniq = <T>(xs: T[]): T[] => [...new Set(xs)];

function children(r: SyncRecord) {
  const c = r.classification;
  const tags = c ? uniq([c.tag, ...c.tags]) : [];
  const objects = new Map<string, { count: number; maxScore: number }>();
  for (const o of r.detection?.objects ?? []) {
    const prev = objects.get(o.label);
    objects.set(o.label, { count: (prev?.count ?? 0) + o.count, maxScore: Math.max(prev?.maxScore ?? 0, o.maxScore) });
  }
  const people = uniq((r.faces ?? []).map((f) => f.name).filter((n): n is string => !!n));
  return { tags, objects, people };
}

export async function pushRecords(db: Database, a: AuthContext, records: SyncRecord[], ip: string): Promise<PushOutcome> {
  // First occurrence wins inside a batch; sorted by id so concurrent overlapping batches lock rows in the
  // same order (no deadlocks between instances).
  const byId = new Map<string, SyncRecord>();
  for (const r of records) if (!byId.has(r.id)) byId.set(r.id, r);
  const unique = [...byId.values()].sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  const withDescriptors = unique.some((r) => r.faces?.some((f) => f.descriptor));

  return db.tx(async (q) => {
    if (withDescriptors) {
      const [t] = await q.query<{ share: boolean }>('SELECT share_face_descriptors AS share FROM teams WHERE id = $1', [a.teamId]);
      if (!t?.share) throw new HttpError(403, 'this team does not accept face descriptors: an admin must enable sharing them first');
    }
    const rows = unique.map((r) => ({
      id: r.id,
      image_id: r.imageId,
      source: r.source,
      top_label: r.classification?.labels[0]?.label ?? null,
      tag: r.classification?.tag ?? null,
      analysed_at: r.analysedAt,
      body: r,
    }));
    const inserted = await q.query<{ id: string }>(
      `INSERT INTO records (team_id, id, member_id, device_id, image_id, source, top_label, tag, analysed_at, body)
       SELECT $1, r.id, $2, $3, r.image_id, r.source, r.top_label, r.tag, to_timestamp(r.analysed_at / 1000.0), r.body
         FROM jsonb_to_recordset($4::jsonb) AS r(id text, image_id text, source text, top_label text, tag text, analysed_at double precision, body jsonb)
        ORDER BY r.id
       ON CONFLICT (team_id, id) DO NOTHING
       RETURNING id`,
      [a.teamId, a.memberId, a.deviceId, JSON.stringify(rows)],
    );
    const fresh = new Set(inserted.map((r) => r.id));
    const tags: { record_id: string; tag: string }[] = [];
    const objects: { record_id: string; label: string; count: number; max_score: number }[] = [];
    const people: { record_id: string; name: string }[] = [];
    for (const r of unique) {
      if (!fresh.has(r.id)) continue;
      const c = children(r);
      for (const tag of c.tags) tags.push({ record_id: r.id, tag });
      for (const [label, o] of c.objects) objects.push({ record_id: r.id, label, count: o.count, max_score: o.maxScore });
      for (const name of c.people) people.push({ record_id: r.id, name });
    }
    if (tags.length)
      await q.query(
        'INSERT INTO record_tags (team_id, record_id, tag) SELECT $1, t.record_id, t.tag FROM jsonb_to_recordset($2::jsonb) AS t(record_id text, tag text)',
        [a.teamId, JSON.stringify(tags)],
      );
    if (objects.length)
      await q.query(
        `INSERT INTO record_objects (team_id, record_id, label, count, max_score)
         SELECT $1, o.record_id, o.label, o.count, o.max_score FROM jsonb_to_recordset($2::jsonb) AS o(record_id text, label text, count int, max_score double precision)`,
        [a.teamId, JSON.stringify(objects)],
      );
    if (people.length)
      await q.query(
        'INSERT INTO record_people (team_id, record_id, name) SELECT $1, p.record_id, p.name FROM jsonb_to_recordset($2::jsonb) AS p(record_id text, name text)',
        [a.teamId, JSON.stringify(people)],
      );
    const outcome = { accepted: fresh.size, duplicates: records.length - fresh.size };
    await audit(q, { teamId: a.teamId, memberId: a.memberId, deviceId: a.deviceId, action: 'records.push', detail: { sent: records.length, ...outcome }, ip });
    return outcome;
  });
}

/** Team records in insertion order, `limit` at a time; `after` is the previous page's `next`. */
export async function pullRecords(db: Database, a: AuthContext, after: string | undefined, limit: number): Promise<PullResponse> {
  // The cursor is the bigint seq as text (exact in JSON); the ordering must use the number, not the text.
  const rows = await db.query<{ cursor: string; member_id: string; received_at: Date; body: SyncRecord }>(
    'SELECT seq::text AS cursor, member_id, received_at, body FROM records WHERE team_id = $1 AND seq > $2::bigint ORDER BY records.seq LIMIT $3',
    [a.teamId, after ?? '0', limit],
  );
  return {
    records: rows.map((r) => ({ memberId: r.member_id, receivedAt: iso(r.received_at)!, record: r.body })),
    next: rows.length === limit ? rows[rows.length - 1].cursor : null,
  };
}
