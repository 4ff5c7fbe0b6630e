-- Teams, members, devices, invites, shared records and the audit log.
-- Runs unchanged on PGlite (embedded) and PostgreSQL; ids are random UUID text made by the server
-- (records: by the client), so no driver has to agree on bigint parsing.

CREATE TABLE teams (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  share_face_descriptors BOOLEAN NOT NULL DEFAULT FALSE,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- One-time codes that create the first team and its admin; only hashes are stored.
CREATE TABLE setup_codes (
  code_hash TEXT PRIMARY KEY,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE members (
  id TEXT PRIMARY KEY,
  team_id TEXT NOT NULL REFERENCES teams (id),
  name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('admin', 'member')),
  -- The server owner (made by the setup code) may create further teams.
  owner BOOLEAN NOT NULL DEFAULT FALSE,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX members_team ON members (team_id);

CREATE TABLE devices (
  id TEXT PRIMARY KEY,
  team_id TEXT NOT NULL REFERENCES teams (id),
  member_id TEXT NOT NULL REFERENCES members (id),
  token_hash TEXT NOT NULL,
  label TEXT,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  last_seen_at TIMESTAMPTZ,
  revoked_at TIMESTAMPTZ
);
CREATE INDEX devices_team ON devices (team_id);

CREATE TABLE invites (
  id TEXT PRIMARY KEY,
  team_id TEXT NOT NULL REFERENCES teams (id),
  code_hash TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL CHECK (role IN ('admin', 'member')),
  max_uses INTEGER NOT NULL,
  uses INTEGER NOT NULL DEFAULT 0,
  expires_at TIMESTAMPTZ NOT NULL,
  created_by TEXT REFERENCES members (id),
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  revoked_at TIMESTAMPTZ
);
CREATE INDEX invites_team ON invites (team_id);

-- One row per pushed record. (team_id, id) is the idempotency key: a retried batch inserts nothing new.
CREATE TABLE records (
  team_id TEXT NOT NULL REFERENCES teams (id),
  id TEXT NOT NULL,
  seq BIGINT GENERATED ALWAYS AS IDENTITY,
  member_id TEXT NOT NULL REFERENCES members (id),
  device_id TEXT NOT NULL REFERENCES devices (id),
  image_id TEXT NOT NULL,
  source TEXT NOT NULL,
  top_label TEXT,
  tag TEXT,
  analysed_at TIMESTAMPTZ NOT NULL,
  received_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  body JSONB NOT NULL,
  PRIMARY KEY (team_id, id)
);
CREATE INDEX records_team_analysed ON records (team_id, analysed_at);
CREATE INDEX records_team_seq ON records (team_id, seq);

-- Child rows the analytics group by; written only for records that were actually inserted.
CREATE TABLE record_tags (
  team_id TEXT NOT NULL,
  record_id TEXT NOT NULL,
  tag TEXT NOT NULL,
  PRIMARY KEY (team_id, record_id, tag),
  FOREIGN KEY (team_id, record_id) REFERENCES records (team_id, id) ON DELETE CASCADE
);
CREATE INDEX record_tags_tag ON record_tags (team_id, tag);

CREATE TABLE record_objects (
  team_id TEXT NOT NULL,
  record_id TEXT NOT NULL,
  label TEXT NOT NULL,
  count INTEGER NOT NULL,
  max_score DOUBLE PRECISION NOT NULL,
  PRIMARY KEY (team_id, record_id, label),
  FOREIGN KEY (team_id, record_id) REFERENCES records (team_id, id) ON DELETE CASCADE
);
CREATE INDEX record_objects_label ON record_objects (team_id, label);

CREATE TABLE record_people (
  team_id TEXT NOT NULL,
  record_id TEXT NOT NULL,
  name TEXT NOT NULL,
  PRIMARY KEY (team_id, record_id, name),
  FOREIGN KEY (team_id, record_id) REFERENCES records (team_id, id) ON DELETE CASCADE
);
CREATE INDEX record_people_name ON record_people (team_id, name);

-- Who did what, when. team_id is null only for server-level events.
CREATE TABLE audit_log (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  team_id TEXT REFERENCES teams (id),
  member_id TEXT,
  device_id TEXT,
  action TEXT NOT NULL,
  target TEXT,
  detail JSONB,
  ip TEXT,
  at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX audit_team_at ON audit_log (team_id, at);
