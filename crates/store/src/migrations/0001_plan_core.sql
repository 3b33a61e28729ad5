-- The plan core: directory, accounts, plans, items, links, decisions, versions, the audit trail.
-- Types in braces are rendered per backend (see migrate.rs). Markings are stored as
-- level code + rank (for filtering in SQL) + ",SRB,PFP," (releasable_to, comma-delimited)
-- + originator.

CREATE TABLE audit_head (
  id integer PRIMARY KEY,
  seq bigint NOT NULL,
  hash text NOT NULL
);

CREATE TABLE change_log (
  seq {seqpk},
  entity text NOT NULL,
  entity_id {uuid} NOT NULL,
  plan_id {uuid},
  version bigint NOT NULL,
  actor_id {uuid},
  at {ts} NOT NULL,
  action text NOT NULL,
  before_json text,
  after_json text,
  request_id text NOT NULL,
  source text NOT NULL,
  marking_json text,
  marking_rank integer NOT NULL,
  rel_to text NOT NULL,
  prev_hash text NOT NULL,
  hash text NOT NULL
);
CREATE INDEX change_log_entity ON change_log (entity_id, seq);
CREATE INDEX change_log_plan ON change_log (plan_id, seq);
CREATE INDEX change_log_actor ON change_log (actor_id, seq);
CREATE INDEX change_log_action ON change_log (action, seq);

CREATE TABLE organisation (
  id {uuid} PRIMARY KEY,
  name text NOT NULL,
  short_name text NOT NULL,
  kind text NOT NULL,
  country text,
  parent_id {uuid} REFERENCES organisation (id),
  version bigint NOT NULL,
  created_at {ts} NOT NULL,
  updated_at {ts} NOT NULL
);

CREATE TABLE app_user (
  id {uuid} PRIMARY KEY,
  display_name text NOT NULL,
  email text NOT NULL,
  email_norm text NOT NULL,
  organisation_id {uuid} NOT NULL REFERENCES organisation (id),
  clearance text NOT NULL,
  status text NOT NULL,
  global_roles text NOT NULL,
  password_hash text NOT NULL,
  failed_logins integer NOT NULL,
  locked_until {ts},
  last_login_at {ts},
  version bigint NOT NULL,
  created_at {ts} NOT NULL,
  updated_at {ts} NOT NULL
);
CREATE UNIQUE INDEX app_user_email ON app_user (email_norm);

CREATE TABLE session (
  token_hash text PRIMARY KEY,
  user_id {uuid} NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
  created_at {ts} NOT NULL,
  last_seen_at {ts} NOT NULL,
  expires_at {ts} NOT NULL,
  source text NOT NULL
);
CREATE INDEX session_by_user ON session (user_id);

CREATE TABLE api_token (
  id {uuid} PRIMARY KEY,
  user_id {uuid} NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
  name text NOT NULL,
  token_hash text NOT NULL,
  created_at {ts} NOT NULL,
  last_used_at {ts},
  expires_at {ts},
  revoked_at {ts}
);
CREATE UNIQUE INDEX api_token_hash ON api_token (token_hash);
CREATE INDEX api_token_user ON api_token (user_id);

CREATE TABLE framework (
  code text PRIMARY KEY,
  name text NOT NULL,
  levels text NOT NULL,
  version bigint NOT NULL,
  created_at {ts} NOT NULL,
  updated_at {ts} NOT NULL
);

CREATE TABLE area (
  code text PRIMARY KEY,
  name text NOT NULL,
  version bigint NOT NULL,
  created_at {ts} NOT NULL,
  updated_at {ts} NOT NULL
);

CREATE TABLE plan (
  id {uuid} PRIMARY KEY,
  framework text NOT NULL,
  code text NOT NULL,
  code_norm text NOT NULL,
  title text NOT NULL,
  description text NOT NULL,
  partner_id {uuid} NOT NULL REFERENCES organisation (id),
  owner_id {uuid} NOT NULL REFERENCES organisation (id),
  period_start {date} NOT NULL,
  period_end {date} NOT NULL,
  predecessor_id {uuid} REFERENCES plan (id),
  state text NOT NULL,
  negotiation_round integer NOT NULL,
  marking_level text NOT NULL,
  marking_rank integer NOT NULL,
  rel_to text NOT NULL,
  originator text NOT NULL,
  version bigint NOT NULL,
  created_at {ts} NOT NULL,
  updated_at {ts} NOT NULL
);
CREATE UNIQUE INDEX plan_code ON plan (code_norm);

CREATE TABLE membership (
  id {uuid} PRIMARY KEY,
  plan_id {uuid} NOT NULL REFERENCES plan (id),
  user_id {uuid} NOT NULL REFERENCES app_user (id),
  role text NOT NULL,
  version bigint NOT NULL,
  created_at {ts} NOT NULL,
  updated_at {ts} NOT NULL
);
CREATE UNIQUE INDEX membership_plan_user ON membership (plan_id, user_id);
CREATE INDEX membership_user ON membership (user_id);

CREATE TABLE plan_approval (
  id {uuid} PRIMARY KEY,
  plan_id {uuid} NOT NULL REFERENCES plan (id),
  side text NOT NULL,
  user_id {uuid} NOT NULL REFERENCES app_user (id),
  round integer NOT NULL,
  content_hash text NOT NULL,
  at {ts} NOT NULL
);
CREATE INDEX plan_approval_plan ON plan_approval (plan_id, round);

CREATE TABLE plan_version (
  id {uuid} PRIMARY KEY,
  plan_id {uuid} NOT NULL REFERENCES plan (id),
  number integer NOT NULL,
  agreed_at {ts} NOT NULL,
  content_hash text NOT NULL,
  snapshot text NOT NULL
);
CREATE UNIQUE INDEX plan_version_number ON plan_version (plan_id, number);

CREATE TABLE decision (
  id {uuid} PRIMARY KEY,
  plan_id {uuid} NOT NULL REFERENCES plan (id),
  kind text NOT NULL,
  decided_on {date} NOT NULL,
  body text NOT NULL,
  reference text NOT NULL,
  note text NOT NULL,
  marking_level text NOT NULL,
  marking_rank integer NOT NULL,
  rel_to text NOT NULL,
  originator text NOT NULL,
  version bigint NOT NULL,
  created_at {ts} NOT NULL,
  updated_at {ts} NOT NULL
);
CREATE INDEX decision_plan ON decision (plan_id, decided_on);

CREATE TABLE item (
  id {uuid} PRIMARY KEY,
  plan_id {uuid} NOT NULL REFERENCES plan (id),
  parent_id {uuid} REFERENCES item (id),
  depth integer NOT NULL,
  level text NOT NULL,
  code text NOT NULL,
  code_norm text NOT NULL,
  title text NOT NULL,
  description text NOT NULL,
  areas text NOT NULL,
  lead_org_id {uuid} REFERENCES organisation (id),
  contributors text NOT NULL,
  start_date {date},
  due text,
  due_date {date},
  status text NOT NULL,
  weight integer NOT NULL,
  gender_marker integer NOT NULL,
  position integer NOT NULL,
  tree_key text NOT NULL,
  search_text text NOT NULL,
  marking_level text NOT NULL,
  marking_rank integer NOT NULL,
  rel_to text NOT NULL,
  originator text NOT NULL,
  version bigint NOT NULL,
  created_at {ts} NOT NULL,
  updated_at {ts} NOT NULL
);
CREATE UNIQUE INDEX item_code ON item (plan_id, code_norm);
CREATE INDEX item_tree ON item (plan_id, tree_key);
CREATE INDEX item_parent ON item (parent_id, position);

CREATE TABLE item_link (
  id {uuid} PRIMARY KEY,
  from_item {uuid} NOT NULL REFERENCES item (id),
  to_item {uuid} NOT NULL REFERENCES item (id),
  kind text NOT NULL,
  version bigint NOT NULL,
  created_at {ts} NOT NULL
);
CREATE UNIQUE INDEX item_link_unique ON item_link (from_item, to_item, kind);
CREATE INDEX item_link_to ON item_link (to_item);
