// The team sync protocol, shared by the app and sync-server/. Each TypeBox schema is both the JSON Schema the
// server validates with and (through Static) the TypeScript type both sides compile against. The app imports
// only types from here (ESLint enforces it); its runtime constants are in sync-constants.ts.
// No relative imports on purpose: the server type-checks this file under NodeNext resolution.
import { Type, type Static } from 'typebox';

export const MAX_RECORDS_PER_PUSH = 500;

const Id = Type.String({ pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$', description: 'a client-generated UUID' });
const Name = Type.String({ minLength: 1, maxLength: 80 });
const Short = Type.String({ minLength: 1, maxLength: 120 });
const Code = Type.String({ minLength: 8, maxLength: 64 });
/** Milliseconds since 1970; 2000-01-01 to 2100-01-01 catches seconds-vs-milliseconds mix-ups. */
const Millis = Type.Integer({ minimum: 946684800000, maximum: 4102444800000 });

export const Role = Type.Union([Type.Literal('admin'), Type.Literal('member')]);
export type Role = Static<typeof Role>;

// ---- the record a device pushes: metadata and results only ----------------------------------------------
export const SyncLabel = Type.Object({ label: Short, prob: Type.Number({ minimum: 0, maximum: 1 }) }, { additionalProperties: false });
export const SyncObject = Type.Object(
  { label: Short, count: Type.Integer({ minimum: 1, maximum: 10000 }), maxScore: Type.Number({ minimum: 0, maximum: 1 }) },
  { additionalProperties: false },
);
/** A face: the person's name when known; the descriptor only when the team has enabled sharing them. */
export const SyncFace = Type.Object(
  { name: Type.Optional(Name), descriptor: Type.Optional(Type.Array(Type.Number(), { minItems: 1, maxItems: 1024 })) },
  { additionalProperties: false },
);
export const SyncExif = Type.Object(
  {
    make: Type.Optional(Short),
    model: Type.Optional(Short),
    takenAt: Type.Optional(Millis),
    lat: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })),
    lon: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
  },
  { additionalProperties: false },
);

export const SyncRecord = Type.Object(
  {
    id: Id,
    /** SHA-256 of the image file (hex): lets the team count distinct images, never reveals the pixels. */
    imageId: Type.String({ pattern: '^[0-9a-f]{64}$' }),
    analysedAt: Millis,
    source: Type.String({ pattern: '^[a-z][a-z-]{0,31}$' }),
    format: Type.String({ maxLength: 16 }),
    width: Type.Integer({ minimum: 0, maximum: 1_000_000 }),
    height: Type.Integer({ minimum: 0, maximum: 1_000_000 }),
    bytes: Type.Integer({ minimum: 0 }),
    /** File name, only when the member allows it. */
    name: Type.Optional(Type.String({ maxLength: 255 })),
    classification: Type.Optional(
      Type.Object(
        {
          modelId: Short,
          modelVersion: Short,
          labels: Type.Array(SyncLabel, { maxItems: 20 }),
          tag: Short,
          tags: Type.Array(Short, { maxItems: 16 }),
          rulesVersion: Type.Integer({ minimum: 0 }),
        },
        { additionalProperties: false },
      ),
    ),
    detection: Type.Optional(
      Type.Object({ modelId: Short, modelVersion: Short, objects: Type.Array(SyncObject, { maxItems: 100 }) }, { additionalProperties: false }),
    ),
    faces: Type.Optional(Type.Array(SyncFace, { maxItems: 100 })),
    exif: Type.Optional(SyncExif),
  },
  // Unknown fields are a 400, not silently dropped: image bytes or thumbnails have no field to go in.
  { additionalProperties: false },
);
export type SyncRecord = Static<typeof SyncRecord>;

export const PushRequest = Type.Object(
  { protocol: Type.Integer({ minimum: 1 }), records: Type.Array(SyncRecord, { minItems: 1, maxItems: MAX_RECORDS_PER_PUSH }) },
  { additionalProperties: false },
);
export type PushRequest = Static<typeof PushRequest>;
/** `duplicates` were already stored (a retried batch): the client may forget every id it sent. */
export const PushResponse = Type.Object({ protocol: Type.Integer(), accepted: Type.Integer(), duplicates: Type.Integer() });
export type PushResponse = Static<typeof PushResponse>;

export const PulledRecord = Type.Object({ memberId: Type.String(), receivedAt: Type.String(), record: SyncRecord });
export const PullResponse = Type.Object({ records: Type.Array(PulledRecord), next: Type.Union([Type.String(), Type.Null()]) });
export type PullResponse = Static<typeof PullResponse>;

// ---- teams, members, devices --------------------------------------------------------------------------
export const TeamInfo = Type.Object({ id: Type.String(), name: Type.String(), shareFaceDescriptors: Type.Boolean() });
export type TeamInfo = Static<typeof TeamInfo>;
export const MemberInfo = Type.Object({ id: Type.String(), name: Type.String(), role: Role, owner: Type.Boolean() });
export type MemberInfo = Static<typeof MemberInfo>;

export const SetupRequest = Type.Object({ setupCode: Code, teamName: Name, name: Name, deviceLabel: Type.Optional(Name) }, { additionalProperties: false });
export type SetupRequest = Static<typeof SetupRequest>;
export const JoinRequest = Type.Object({ inviteCode: Code, name: Name, deviceLabel: Type.Optional(Name) }, { additionalProperties: false });
export type JoinRequest = Static<typeof JoinRequest>;
/** The device token is shown once; the server keeps only its hash. */
export const JoinResponse = Type.Object({ protocol: Type.Integer(), token: Type.String(), deviceId: Type.String(), team: TeamInfo, member: MemberInfo });
export type JoinResponse = Static<typeof JoinResponse>;
export const MeResponse = Type.Object({ protocol: Type.Integer(), deviceId: Type.String(), team: TeamInfo, member: MemberInfo });
export type MeResponse = Static<typeof MeResponse>;

export const CreateTeamRequest = Type.Object({ name: Name }, { additionalProperties: false });
export const CreateTeamResponse = Type.Object({ team: TeamInfo, adminInviteCode: Type.String() });
export type CreateTeamResponse = Static<typeof CreateTeamResponse>;
export const UpdateTeamRequest = Type.Object(
  { name: Type.Optional(Name), shareFaceDescriptors: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);

export const InviteRequest = Type.Object(
  {
    role: Type.Optional(Role),
    maxUses: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
    expiresInHours: Type.Optional(Type.Integer({ minimum: 1, maximum: 24 * 30 })),
  },
  { additionalProperties: false },
);
export type InviteRequest = Static<typeof InviteRequest>;
export const InviteInfo = Type.Object({
  id: Type.String(),
  role: Role,
  maxUses: Type.Integer(),
  uses: Type.Integer(),
  expiresAt: Type.String(),
  revoked: Type.Boolean(),
});
export type InviteInfo = Static<typeof InviteInfo>;
export const InviteResponse = Type.Object({ ...InviteInfo.properties, code: Type.String() });
export type InviteResponse = Static<typeof InviteResponse>;

export const DeviceInfo = Type.Object({
  id: Type.String(),
  memberId: Type.String(),
  memberName: Type.String(),
  role: Role,
  label: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  lastSeenAt: Type.Union([Type.String(), Type.Null()]),
  revoked: Type.Boolean(),
});
export type DeviceInfo = Static<typeof DeviceInfo>;

// ---- analytics ----------------------------------------------------------------------------------------
export const Count = Type.Object({ key: Type.String(), count: Type.Integer() });
export type Count = Static<typeof Count>;
export const MemberCount = Type.Object({
  memberId: Type.String(),
  name: Type.String(),
  records: Type.Integer(),
  lastAt: Type.Union([Type.String(), Type.Null()]),
});
export type MemberCount = Static<typeof MemberCount>;
export const DayCount = Type.Object({ day: Type.String(), memberId: Type.String(), records: Type.Integer() });
export type DayCount = Static<typeof DayCount>;
export const Analytics = Type.Object({
  days: Type.Integer(),
  since: Type.String(),
  totals: Type.Object({ records: Type.Integer(), images: Type.Integer(), members: Type.Integer() }),
  labels: Type.Array(Count),
  tags: Type.Array(Count),
  objects: Type.Array(Count),
  people: Type.Array(Count),
  sources: Type.Array(Count),
  members: Type.Array(MemberCount),
  overTime: Type.Array(DayCount),
});
export type Analytics = Static<typeof Analytics>;

export const AuditEntry = Type.Object({
  id: Type.String(),
  at: Type.String(),
  action: Type.String(),
  memberId: Type.Union([Type.String(), Type.Null()]),
  deviceId: Type.Union([Type.String(), Type.Null()]),
  target: Type.Union([Type.String(), Type.Null()]),
  detail: Type.Unknown(),
});
export type AuditEntry = Static<typeof AuditEntry>;

/** Every error the API returns. */
export const ErrorBody = Type.Object({ statusCode: Type.Integer(), error: Type.String(), message: Type.String(), code: Type.Optional(Type.String()) });
export type ErrorBody = Static<typeof ErrorBody>;
