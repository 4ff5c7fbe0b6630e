// Setup, teams, joining, invites and devices. Authenticated routes check the token in onRequest, before the
// body is even read; every store call is scoped to the caller's team.
import type { FastifyContextConfig } from 'fastify';
import { Type } from 'typebox';
import {
  CreateTeamRequest,
  CreateTeamResponse,
  DeviceInfo,
  ErrorBody,
  InviteInfo,
  InviteRequest,
  InviteResponse,
  JoinRequest,
  JoinResponse,
  MeResponse,
  SetupRequest,
  TeamInfo,
  UpdateTeamRequest,
} from '../../../src/shared/sync.ts';
import { PROTOCOL_VERSION } from '../../../src/shared/sync-constants.ts';
import type { App, RateLimits, ServerContext } from '../app.ts';
import { authOf, requireAdmin, requireDevice } from '../auth.ts';
import { HttpError } from '../errors.ts';
import * as teams from '../store/teams.ts';

const noContent = { 204: Type.Null() };
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 429: ErrorBody };
const IdParam = Type.Object({ id: Type.String({ maxLength: 64 }) });

export async function accountRoutes(app: App, { db }: ServerContext, limits: RateLimits | null): Promise<void> {
  const device = requireDevice(db);
  // Code guessing is limited per IP, far below the general limit.
  const strict: FastifyContextConfig = limits ? { rateLimit: { max: limits.joinMax, timeWindow: limits.windowMs } } : {};

  app.post('/setup', { config: strict, schema: { body: SetupRequest, response: { 201: JoinResponse, ...errors } } }, async (req, reply) => {
    const out = await teams.setup(db, req.body, req.ip);
    req.log.info({ teamId: out.team.id, memberId: out.member.id }, 'server set up');
    return reply.status(201).send(out);
  });

  app.post('/join', { config: strict, schema: { body: JoinRequest, response: { 201: JoinResponse, ...errors } } }, async (req, reply) => {
    const out = await teams.join(db, req.body, req.ip);
    req.log.info({ teamId: out.team.id, memberId: out.member.id, deviceId: out.deviceId }, 'device joined');
    return reply.status(201).send(out);
  });

  app.get('/me', { onRequest: device, schema: { response: { 200: MeResponse, ...errors } } }, async (req) => {
    const a = authOf(req);
    return { protocol: PROTOCOL_VERSION, deviceId: a.deviceId, ...(await teams.me(db, a)) };
  });

  app.post('/teams', { onRequest: device, schema: { body: CreateTeamRequest, response: { 201: CreateTeamResponse, ...errors } } }, async (req, reply) => {
    return reply.status(201).send(await teams.createTeam(db, authOf(req), req.body.name, req.ip));
  });

  app.patch('/team', { onRequest: device, schema: { body: UpdateTeamRequest, response: { 200: TeamInfo, ...errors } } }, async (req) => {
    return teams.updateTeam(db, requireAdmin(req), req.body, req.ip);
  });

  app.post('/invites', { onRequest: device, schema: { body: InviteRequest, response: { 201: InviteResponse, ...errors } } }, async (req, reply) => {
    return reply.status(201).send(await teams.createInvite(db, requireAdmin(req), req.body ?? {}, req.ip));
  });

  app.get('/invites', { onRequest: device, schema: { response: { 200: Type.Array(InviteInfo), ...errors } } }, async (req) => {
    return teams.listInvites(db, requireAdmin(req));
  });

  app.delete('/invites/:id', { onRequest: device, schema: { params: IdParam, response: { ...noContent, ...errors } } }, async (req, reply) => {
    if (!(await teams.revokeInvite(db, requireAdmin(req), req.params.id, req.ip))) throw new HttpError(404, 'no such invite in your team');
    return reply.status(204).send(null);
  });

  app.get('/devices', { onRequest: device, schema: { response: { 200: Type.Array(DeviceInfo), ...errors } } }, async (req) => {
    return teams.listDevices(db, requireAdmin(req));
  });

  app.delete('/devices/:id', { onRequest: device, schema: { params: IdParam, response: { ...noContent, ...errors } } }, async (req, reply) => {
    if (!(await teams.revokeDevice(db, authOf(req), req.params.id, req.ip))) throw new HttpError(404, 'no such device in your team');
    return reply.status(204).send(null);
  });

  /** This device leaves: its token stops working at once. */
  app.post('/leave', { onRequest: device, schema: { response: { ...noContent, ...errors } } }, async (req, reply) => {
    const a = authOf(req);
    await teams.revokeDevice(db, a, a.deviceId, req.ip, 'device.leave');
    return reply.status(204).send(null);
  });
}
