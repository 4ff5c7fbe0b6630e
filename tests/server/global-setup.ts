// One throwaway PostgreSQL cluster for every server test file (each makes its own database in it).
// Without PostgreSQL binaries the PostgreSQL variants are skipped, unless REQUIRE_POSTGRES=1 (CI) makes
// that an error. SYNC_TEST_DATABASE_URL points the tests at an existing server instead.
import type { TestProject } from 'vitest/node';
import { findPgBin, startPgCluster } from '../../scripts/lib/pg-cluster.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgUrl: string | null;
  }
}

export default async function setup(project: TestProject): Promise<(() => void) | void> {
  const external = process.env.SYNC_TEST_DATABASE_URL;
  if (external) return project.provide('pgUrl', external);
  if (!findPgBin()) {
    if (process.env.REQUIRE_POSTGRES === '1') throw new Error('REQUIRE_POSTGRES=1 but initdb/pg_ctl were not found (apt-get install postgresql)');
    return project.provide('pgUrl', null);
  }
  const cluster = await startPgCluster();
  project.provide('pgUrl', cluster.url);
  return () => cluster.stop();
}
