// One small interface over the two databases the server runs on: PGlite (embedded, a data folder, no setup)
// and PostgreSQL (DATABASE_URL). Both speak the same SQL, so queries and migrations are written once.

export type Row = Record<string, unknown>;

export interface Queryable {
  /** One parameterised statement ($1, $2, …). */
  query<T = Row>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface Database extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /** Runs fn in one transaction: committed when it resolves, rolled back when it throws. */
  tx<T>(fn: (q: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface DatabaseConfig {
  /** postgres://… : use PostgreSQL. */
  databaseUrl?: string;
  /** Folder for the embedded database; undefined = in memory (tests). */
  dataDir?: string;
  /** PostgreSQL pool size per server instance. */
  poolMax?: number;
}

export async function openDatabase(cfg: DatabaseConfig): Promise<Database> {
  if (cfg.databaseUrl) {
    const { openPostgres } = await import('./postgres.ts');
    return openPostgres(cfg.databaseUrl, cfg.poolMax ?? 10);
  }
  const { openPglite } = await import('./pglite.ts');
  return openPglite(cfg.dataDir);
}
