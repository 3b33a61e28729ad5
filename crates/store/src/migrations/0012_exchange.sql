-- Exchange between installations (liaison_domain::exchange): this installation's name and
-- accreditation, its trusted peers and their keys (old keys stay, so old bundles verify), every
-- bundle sent and received, the state each record was last exchanged in (for incremental
-- bundles and three-way merges), which records a peer owns, conflicts for a person to settle,
-- and the peers' history of the records they sent.

CREATE TABLE exchange_identity (
  name text PRIMARY KEY,
  accreditation text NOT NULL,
  public_key text NOT NULL,
  key_id text NOT NULL,
  created_at {ts} NOT NULL
);

CREATE TABLE exchange_peer (
  id {uuid} PRIMARY KEY,
  name text NOT NULL,
  release text NOT NULL,
  level text NOT NULL,
  created_at {ts} NOT NULL,
  version bigint NOT NULL
);
CREATE UNIQUE INDEX exchange_peer_name ON exchange_peer (name);

CREATE TABLE exchange_peer_key (
  key_id text PRIMARY KEY,
  peer_id {uuid} NOT NULL REFERENCES exchange_peer (id),
  public_key text NOT NULL,
  added_at {ts} NOT NULL
);

CREATE TABLE exchange_bundle (
  id {uuid} PRIMARY KEY,
  peer_id {uuid} NOT NULL REFERENCES exchange_peer (id),
  direction text NOT NULL,
  seq bigint NOT NULL,
  ack bigint NOT NULL,
  plan_id {uuid} NOT NULL,
  payload_sha256 text NOT NULL,
  records integer NOT NULL,
  at {ts} NOT NULL
);
CREATE UNIQUE INDEX exchange_bundle_seq ON exchange_bundle (peer_id, plan_id, direction, seq);

CREATE TABLE exchange_state (
  id {uuid} PRIMARY KEY,
  peer_id {uuid} NOT NULL REFERENCES exchange_peer (id),
  entity_id {uuid} NOT NULL,
  kind text NOT NULL,
  agreed text,
  sent text,
  sent_sha256 text,
  sent_seq bigint NOT NULL
);
CREATE UNIQUE INDEX exchange_state_record ON exchange_state (peer_id, entity_id);

CREATE TABLE exchange_origin (
  entity_id {uuid} PRIMARY KEY,
  kind text NOT NULL,
  peer_id {uuid} NOT NULL REFERENCES exchange_peer (id)
);

CREATE TABLE exchange_conflict (
  id {uuid} PRIMARY KEY,
  peer_id {uuid} NOT NULL REFERENCES exchange_peer (id),
  kind text NOT NULL,
  entity_id {uuid} NOT NULL,
  field text NOT NULL,
  local_value text NOT NULL,
  remote_value text NOT NULL,
  seq bigint NOT NULL,
  state text NOT NULL,
  choice text,
  settled_by {uuid},
  settled_at {ts},
  created_at {ts} NOT NULL
);
CREATE INDEX exchange_conflict_record ON exchange_conflict (entity_id, state);

CREATE TABLE exchange_history (
  id {uuid} PRIMARY KEY,
  peer_id {uuid} NOT NULL REFERENCES exchange_peer (id),
  remote_seq bigint NOT NULL,
  entity_id {uuid} NOT NULL,
  entity text NOT NULL,
  version bigint NOT NULL,
  at {ts} NOT NULL,
  action text NOT NULL,
  actor text,
  before_json text,
  after_json text,
  hash text NOT NULL
);
CREATE UNIQUE INDEX exchange_history_seq ON exchange_history (peer_id, remote_seq);
CREATE INDEX exchange_history_record ON exchange_history (entity_id);
