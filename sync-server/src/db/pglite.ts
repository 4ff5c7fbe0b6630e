// The embedded database: PGlite (PostgreSQL compiled to WASM) in a data folder, or in memory for tests.
// A single connection: PGlite runs one statement at a time and a transaction holds it exclusively.
import { PGlite } from '@electric-sql/pglite';
import type { Database, Queryable, Row } from './driver.ts';

function wrap(q: Pick<PGlite, 'query' | 'exec'>): Queryable {
  return {
    async query<T = Row>(sql: string, params: unknown[] = []) {
      return (await q.query(sql, params)).rows as T[];
    },
    async exec(sql: string) {
      await q.exec(sql);
    },
  };
}

export async function openPglite(dataDir?: string): Promise<Database> {
  const pg = await PGlite.create(dataDir ? { dataDir } : {});
  const base = wrap(pg);
  // PGlite has no autovacuum, so planner statistics would stay those of the empty tables: the foreign-key
  // checks' cached plans then scan whole tables and every push gets slower as data grows. ANALYZE after
  // 20, 40, 80, … write transactions (and at most every 10 minutes after that) keeps them current.
  let writes = 0;
  let nextAnalyze = 20;
  let lastAnalyze = Date.now();
  const maintain = async () => {
    writes++;
    if (writes < nextAnalyze && !(writes > 0 && Date.now() - lastAnalyze > 600_000)) return;
    nextAnalyze = Math.min(writes * 2, writes + 5000);
    lastAnalyze = Date.now();
    await pg.exec('ANALYZE');
  };
  return {
    kind: 'pglite',
    query: base.query,
    exec: base.exec,
    async tx(fn) {
      const out = await pg.transaction((t) => fn(wrap(t)));
      await maintain();
      return out;
    },
    close: () => pg.close(),
  };
}
