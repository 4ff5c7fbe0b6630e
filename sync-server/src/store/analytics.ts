// Team aggregates, computed in SQL over the team's records analysed in the last `days` days.
import type { Analytics, Count } from '../../../src/shared/sync.ts';
import type { AuthContext } from '../auth.ts';
import type { Database } from '../db/driver.ts';
import { iso } from './rows.ts';

const WINDOW = 'team_id = $1 AND analysed_at >= $2::timestamptz';
const CHILD_WINDOW = 'JOIN records r ON r.team_id = c.team_id AND r.id = c.record_id WHERE c.team_id = $1 AND r.analysed_at >= $2::timestamptz';

const TOP: Record<'labels' | 'tags' | 'objects' | 'people' | 'sources', string> = {
  labels: `SELECT top_label AS key, count(*)::int AS n FROM records WHERE ${WINDOW} AND top_label IS NOT NULL GROUP BY top_label`,
  tags: `SELECT c.tag AS key, count(*)::int AS n FROM record_tags c ${CHILD_WINDOW} GROUP BY c.tag`,
  objects: `SELECT c.label AS key, sum(c.count)::int AS n FROM record_objects c ${CHILD_WINDOW} GROUP BY c.label`,
  people: `SELECT c.name AS key, count(*)::int AS n FROM record_people c ${CHILD_WINDOW} GROUP BY c.name`,
  sources: `SELECT source AS key, count(*)::int AS n FROM records WHERE ${WINDOW} GROUP BY source`,
};

export async function teamAnalytics(db: Database, a: AuthContext, days: number, limit: number): Promise<Analytics> {
  const since = new Date(Date.now() - days * 86_400_000).toISOString();
  const p = [a.teamId, since];
  const top = (sql: string) =>
    db
      .query<{ key: string; n: number }>(`${sql} ORDER BY n DESC, key LIMIT $3`, [...p, limit])
      .then((rows): Count[] => rows.map((r) => ({ key: r.key, count: r.n })));
  const [totals, labels, tags, objects, people, sources, members, overTime] = await Promise.all([
    db.query<{ records: number; images: number; members: number }>(
      `SELECT count(*)::int AS records, count(DISTINCT image_id)::int AS images, count(DISTINCT member_id)::int AS members FROM records WHERE ${WINDOW}`,
      p,
    ),
    top(TOP.labels),
    top(TOP.tags),
    top(TOP.objects),
    top(TOP.people),
    top(TOP.sources),
    db.query<{ member_id: string; name: string; n: number; last_at: Date | null }>(
      `SELECT m.id AS member_id, m.name, count(r.id)::int AS n, max(r.received_at) AS last_at
         FROM members m LEFT JOIN records r ON r.team_id = m.team_id AND r.member_id = m.id AND r.analysed_at >= $2::timestamptz
        WHERE m.team_id = $1 GROUP BY m.id, m.name ORDER BY n DESC, m.name`,
      p,
    ),
    db.query<{ day: string; member_id: string; n: number }>(
      `SELECT to_char(date_trunc('day', analysed_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS day, member_id, count(*)::int AS n
         FROM records WHERE ${WINDOW} GROUP BY 1, 2 ORDER BY 1, 2`,
      p,
    ),
  ]);
  return {
    days,
    since,
    totals: totals[0],
    labels,
    tags,
    objects,
    people,
    sources,
    members: members.map((m) => ({ memberId: m.member_id, name: m.name, records: m.n, lastAt: iso(m.last_at) })),
    overTime: overTime.map((d) => ({ day: d.day, memberId: d.member_id, records: d.n })),
  };
}
