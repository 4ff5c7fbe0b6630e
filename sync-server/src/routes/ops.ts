// /health for load balancers and /metrics for Prometheus; neither is rate-limited nor needs a device.
import { timingSafeEqual } from 'node:crypto';
import { Type } from 'typebox';
import { PROTOCOL_VERSION } from '../../../src/shared/sync-constants.ts';
import type { App, ServerContext } from '../app.ts';
import { HttpError } from '../errors.ts';

const Health = Type.Object({ status: Type.String(), db: Type.String(), protocol: Type.Integer() });

export async function opsRoutes(app: App, { db, metrics, opts }: ServerContext): Promise<void> {
  let dbUp = true;
  const checkDb = async () => {
    try {
      await db.query('SELECT 1');
      dbUp = true;
    } catch {
      dbUp = false;
    }
    return dbUp;
  };

  app.get('/health', { config: { rateLimit: false }, schema: { response: { 200: Health, 503: Health } } }, async (_req, reply) => {
    const ok = await checkDb();
    return reply.status(ok ? 200 : 503).send({ status: ok ? 'ok' : 'database unavailable', db: db.kind, protocol: PROTOCOL_VERSION });
  });

  app.get('/metrics', { config: { rateLimit: false } }, async (req, reply) => {
    if (opts.metricsToken) {
      const given = Buffer.from(req.headers.authorization ?? '');
      const want = Buffer.from(`Bearer ${opts.metricsToken}`);
      if (given.length !== want.length || !timingSafeEqual(given, want)) throw new HttpError(401, 'metrics need the METRICS_TOKEN bearer token');
    }
    await checkDb();
    return reply.type('text/plain; version=0.0.4; charset=utf-8').send(metrics.render(dbUp));
  });
}
