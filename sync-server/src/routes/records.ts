// Push and pull of records, team analytics and the audit log.
import { Type } from 'typebox';
import { PROTOCOL_VERSION } from '../../../src/shared/sync-constants.ts';
import { Analytics, AuditEntry, ErrorBody, PullResponse, PushRequest, PushResponse } from '../../../src/shared/sync.ts';
import type { App, ServerContext } from '../app.ts';
import { authOf, requireAdmin, requireDevice } from '../auth.ts';
import { HttpError } from '../errors.ts';
import { teamAnalytics } from '../store/analytics.ts';
import { listAudit } from '../store/audit.ts';
import { pullRecords, pushRecords } from '../store/records.ts';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 413: ErrorBody, 429: ErrorBody };

export async function recordRoutes(app: App, { db, metrics }: ServerContext): Promise<void> {
  const device = requireDevice(db);

  app.post('/records', { onRequest: device, schema: { body: PushRequest, response: { 200: PushResponse, ...errors } } }, async (req) => {
    if (req.body.protocol !== PROTOCOL_VERSION) {
      throw new HttpError(
        400,
        `protocol version ${req.body.protocol} is not supported: this server speaks ${PROTOCOL_VERSION}; update the app or the server`,
        'PROTOCOL_MISMATCH',
      );
    }
    const out = await pushRecords(db, authOf(req), req.body.records, req.ip);
    metrics.recordsPushed(out.accepted, out.duplicates);
    return { protocol: PROTOCOL_VERSION, ...out };
  });

  app.get(
    '/records',
    {
      onRequest: device,
      schema: {
        querystring: Type.Object({
          after: Type.Optional(Type.String({ pattern: '^\\d{1,18}$' })),
          limit: Type.Integer({ minimum: 1, maximum: 1000, default: 500 }),
        }),
        response: { 200: PullResponse, ...errors },
      },
    },
    async (req) => pullRecords(db, authOf(req), req.query.after, req.query.limit),
  );

  app.get(
    '/analytics',
    {
      onRequest: device,
      schema: {
        querystring: Type.Object({
          days: Type.Integer({ minimum: 1, maximum: 3660, default: 30 }),
          limit: Type.Integer({ minimum: 1, maximum: 100, default: 10 }),
        }),
        response: { 200: Analytics, ...errors },
      },
    },
    async (req) => teamAnalytics(db, authOf(req), req.query.days, req.query.limit),
  );

  app.get(
    '/audit',
    {
      onRequest: device,
      schema: {
        querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }) }),
        response: { 200: Type.Array(AuditEntry), ...errors },
      },
    },
    async (req) => listAudit(db, requireAdmin(req).teamId, req.query.limit),
  );
}
