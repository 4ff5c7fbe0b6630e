// Route suite on a real PostgreSQL (the throwaway cluster from global-setup.ts); skipped without one.
import { describe } from 'vitest';
import { pgUrl } from './helpers.ts';
import { routeSuite } from './routes.suite.ts';

describe.skipIf(!pgUrl())('sync routes on PostgreSQL', () => routeSuite('postgres'));
