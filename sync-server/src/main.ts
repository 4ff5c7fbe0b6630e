// `npm start` / `npm run sync-server`: config from the environment, open and migrate the database, listen,
// print the one-time admin setup code while no team exists, and shut down gracefully on SIGTERM/SIGINT.
import { buildApp } from './app.ts';
import { loadConfig, type ServerConfig } from './config.ts';
import { lockDataDir } from './datadir.ts';
import { openDatabase } from './db/driver.ts';
import { issueSetupCode } from './store/teams.ts';

function config(): ServerConfig {
  try {
    return loadConfig();
  } catch (e) {
    console.error(`sync-server: ${(e as Error).message}`);
    process.exit(2);
  }
}
const cfg = config();

/** Start-up failures (DATA_DIR in use, database unreachable, port taken) end with one readable line. */
async function fatal<T>(what: string, fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    console.error(`sync-server: ${what}: ${(e as Error).message}`);
    process.exit(1);
  }
}

const unlock = cfg.databaseUrl ? () => {} : await fatal('data folder', () => lockDataDir(cfg.dataDir));
const db = await fatal(cfg.databaseUrl ? 'PostgreSQL' : 'embedded database', () =>
  openDatabase({ databaseUrl: cfg.databaseUrl, dataDir: cfg.databaseUrl ? undefined : cfg.dataDir, poolMax: cfg.poolMax }),
);
const app = await fatal('start', () =>
  buildApp({
    db,
    logger: { level: cfg.logLevel, redact: ['req.headers.authorization'] },
    allowedOrigins: cfg.allowedOrigins,
    bodyLimit: cfg.bodyLimit,
    rateLimit: cfg.rateLimit,
    staticDir: cfg.staticDir,
    modelsDir: cfg.modelsDir,
    trustProxy: cfg.trustProxy,
    metricsToken: cfg.metricsToken,
  }),
);

let closing = false;
async function shutdown(signal: string): Promise<void> {
  if (closing) return;
  closing = true;
  app.log.info({ signal }, 'shutting down: finishing in-flight requests');
  const timer = setTimeout(() => {
    app.log.error('shutdown timed out: exiting with requests still open');
    process.exit(1);
  }, cfg.shutdownTimeoutMs);
  timer.unref();
  await app.close();
  await db.close();
  unlock();
  app.log.info('shutdown complete');
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));

// Issued before listening, so the banner and the code appear together.
const code = await issueSetupCode(db);
await fatal(`listen on ${cfg.host}:${cfg.port}`, () => app.listen({ port: cfg.port, host: cfg.host }));
const shown = cfg.host === '0.0.0.0' || cfg.host === '::' ? 'localhost' : cfg.host;
const url = `http://${shown}:${(app.server.address() as { port: number }).port}/`;
const where = db.kind === 'postgres' ? 'PostgreSQL' : `embedded, ${cfg.dataDir}`;
console.log(
  `Sightline sync server on ${url} (database: ${where}; app: ${cfg.staticDir ?? 'not served'})` +
    (code
      ? `\n\nNo team yet. One-time admin setup code: ${code}\nOpen ${url}#team and choose "Set up this server" (a new code is printed at each start until then).\n`
      : ''),
);
