// The sync server as a Fastify instance, built apart from listen() so tests drive it with app.inject().
// It serves the API (/v1/*, /health, /metrics) and, when staticDir is set, the built PWA with COOP/COEP.
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyServerOptions,
  type RawReplyDefaultExpression,
  type RawRequestDefaultExpression,
  type RawServerDefault,
} from 'fastify';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { Database } from './db/driver.ts';
import { migrate } from './db/migrate.ts';
import { installErrorHandler } from './errors.ts';
import { Metrics } from './metrics.ts';
import { accountRoutes } from './routes/account.ts';
import { opsRoutes } from './routes/ops.ts';
import { recordRoutes } from './routes/records.ts';
import { serveStatic, type StaticOptions } from './static.ts';

export type App = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, TypeBoxTypeProvider>;

export interface RateLimits {
  /** Requests per window per device token (or per IP without one). */
  max: number;
  /** Setup and join attempts per window per IP: invite codes must not be guessable by brute force. */
  joinMax: number;
  windowMs: number;
}

export interface AppOptions {
  db: Database;
  logger?: FastifyServerOptions['logger'];
  /** Origins allowed to call the API from another origin (CORS). The server's own origin needs no entry. */
  allowedOrigins?: string[];
  /** Largest accepted request body; bigger gets 413. */
  bodyLimit?: number;
  rateLimit?: RateLimits | false;
  /** Serve the built PWA from this folder (and models/ at /models/); null = API only. */
  staticDir?: string | null;
  modelsDir?: string | null;
  /** Behind a load balancer: take the client IP from X-Forwarded-For. */
  trustProxy?: boolean;
  /** When set, /metrics needs `Authorization: Bearer <metricsToken>`. */
  metricsToken?: string;
}

export interface ServerContext {
  db: Database;
  metrics: Metrics;
  opts: AppOptions;
}

export const DEFAULT_RATE_LIMITS: RateLimits = { max: 120, joinMax: 10, windowMs: 60_000 };

// API answers are data, never documents: lock them down. Static files get their own headers (static.ts).
const API_HEADERS: Record<string, string> = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
  'Cache-Control': 'no-store',
};

export async function buildApp(opts: AppOptions): Promise<App> {
  const app = Fastify({
    logger: opts.logger ?? false,
    bodyLimit: opts.bodyLimit ?? 1024 * 1024,
    trustProxy: opts.trustProxy ?? false,
    genReqId: () => randomUUID(),
    // Finish in-flight requests on close; idle keep-alive sockets are closed so close() does not hang.
    forceCloseConnections: 'idle',
    return503OnClosing: true,
    // Unknown fields are errors (no silent stripping); query strings still coerce "30" → 30.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  await migrate(opts.db);
  const ctx: ServerContext = { db: opts.db, metrics: new Metrics(), opts };
  app.decorateRequest('auth', null);
  installErrorHandler(app);

  app.addHook('onRequest', async (req, reply) => {
    ctx.metrics.inflight++;
    void reply.header('X-Request-Id', req.id);
  });
  app.addHook('onResponse', async (req, reply) => {
    ctx.metrics.inflight--;
    ctx.metrics.observe(req.method, req.routeOptions.url ?? (req.url.startsWith('/v1') ? 'unmatched' : 'static'), reply.statusCode, reply.elapsedTime / 1000);
  });
  // While closing, answers end their connection: a client's idle keep-alive socket would otherwise hold
  // close() open until the keep-alive timeout.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (_req, reply, payload) => {
    for (const [k, v] of Object.entries(API_HEADERS)) if (!reply.hasHeader(k)) void reply.header(k, v);
    if (closing) void reply.header('Connection', 'close');
    return payload;
  });

  const allowed = new Set(opts.allowedOrigins ?? []);
  await app.register(cors, {
    origin: (origin, cb) => cb(null, !!origin && allowed.has(origin)),
    methods: ['GET', 'POST', 'PATCH', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type'],
    exposedHeaders: ['Retry-After', 'X-Request-Id'],
    maxAge: 600,
  });

  const limits = opts.rateLimit === false ? null : (opts.rateLimit ?? DEFAULT_RATE_LIMITS);
  if (limits) {
    await app.register(rateLimit, {
      global: true,
      max: limits.max,
      timeWindow: limits.windowMs,
      // After authentication (routes authenticate in onRequest), so the key is a verified device.
      hook: 'preHandler',
      keyGenerator: (req) => (req.auth ? `device:${req.auth.deviceId}` : `ip:${req.ip}`),
    });
  }

  await app.register(async (api) => accountRoutes(api as App, ctx, limits), { prefix: '/v1' });
  await app.register(async (api) => recordRoutes(api as App, ctx), { prefix: '/v1' });
  await app.register(async (api) => opsRoutes(api as App, ctx));

  const staticOpts: StaticOptions | null = opts.staticDir
    ? {
        mounts: [...(opts.modelsDir ? [{ prefix: '/models/', dir: opts.modelsDir }] : []), { prefix: '/', dir: opts.staticDir }],
        spaIndex: path.join(opts.staticDir, 'index.html'),
      }
    : null;
  app.setNotFoundHandler(async (req, reply) => {
    const p = req.url.split('?')[0];
    if (!staticOpts || p.startsWith('/v1/') || p === '/v1' || (req.method !== 'GET' && req.method !== 'HEAD')) {
      return reply.status(404).send({ statusCode: 404, error: 'Not Found', message: `no route ${req.method} ${p}` });
    }
    reply.hijack();
    if (closing) reply.raw.shouldKeepAlive = false;
    try {
      if (!(await serveStatic(req.raw, reply.raw, staticOpts))) reply.raw.writeHead(404).end();
    } catch (err) {
      req.log.error({ err }, 'static serving failed');
      if (!reply.raw.headersSent) reply.raw.writeHead(500);
      reply.raw.end();
    }
  });
  return app;
}
