// Route suite on the embedded database (PGlite in memory).
import { describe } from 'vitest';
import { routeSuite } from './routes.suite.ts';

describe('sync routes on the embedded database (PGlite)', () => routeSuite('pglite'));
