-- Following implementation: the reporting calendar, indicators and their measurements,
-- progress updates, assessments, attachments (content-addressed) and notifications.
-- Indicators and measurements are part of their item and carry its marking; updates,
-- assessments and attachments carry their own.

CREATE TABLE reporting_period (
  id {uuid} PRIMARY KEY,
  plan_id {uuid} NOT NULL REFERENCES plan (id),
  period_key text NOT NULL,
  starts {date} NOT NULL,
  ends {date} NOT NULL,
  due {date} NOT NULL,
  locked {bool} NOT NULL,
  version bigint NOT NULL,
  created_at {ts} NOT NULL,
  updated_at {ts} NOT NULL
);
CREATE UNIQUE INDEX reporting_period_key ON reporting_period (plan_id, period_key);

CREATE TABLE indicator (
  id {uuid} PRIMARY KEY,
  plan_id {uuid} NOT NULL REFERENCES plan (id),
  item_id {uuid} NOT NULL REFERENCES item (id),
  name text NOT NULL,
  unit text NOT NULL,
  measure text NOT NULL,
  cumulative {bool} NOT NULL,
  baseline_json text,
  targets_json text NOT NULL,
  dimension_json text,
  version bigint NOT NULL,
  created_at {ts} NOT NULL,
  updated_at {ts} NOT NULL
);
CREATE INDEX indicator_item ON indicator (item_id, id);
CREATE INDEX indicator_plan ON indicator (plan_id);

CREATE TABLE measurement (
  id {uuid} PRIMARY KEY,
  indicator_id {uuid} NOT NULL REFERENCES indicator (id),
  plan_id {uuid} NOT NULL REFERENCES plan (id),
  period_key text NOT NULL,
  value_json text NOT NULL,
  note text NOT NULL,
  evidence text NOT NULL,
  version bigint NOT NULL,
  created_at {ts} NOT NULL,
  updated_at {ts} NOT NULL
);
CREATE UNIQUE INDEX measurement_period ON measurement (indicator_id, period_key);
CREATE INDEX measurement_plan ON measurement (plan_id);

CREATE TABLE progress_update (
  id {uuid} PRIMARY KEY,
  plan_id {uuid} NOT NULL REFERENCES plan (id),
  item_id {uuid} NOT NULL REFERENCES item (id),
  period_key text NOT NULL,
  status text NOT NULL,
  percent integer NOT NULL,
  narrative text NOT NULL,
  evidence text NOT NULL,
  state text NOT NULL,
  reason text,
  reporter_id {uuid} NOT NULL,
  reporter_name text NOT NULL,
  reviewer_id {uuid},
  marking_level text NOT NULL,
  marking_rank integer NOT NULL,
  rel_to text NOT NULL,
  originator text NOT NULL,
  version bigint NOT NULL,
  created_at {ts} NOT NULL,
  updated_at {ts} NOT NULL
);
CREATE UNIQUE INDEX progress_update_period ON progress_update (item_id, period_key);
CREATE INDEX progress_update_plan ON progress_update (plan_id, period_key);

CREATE TABLE assessment (
  id {uuid} PRIMARY KEY,
  plan_id {uuid} NOT NULL REFERENCES plan (id),
  period_key text NOT NULL,
  perspective text NOT NULL,
  scale text NOT NULL,
  narrative text NOT NULL,
  state text NOT NULL,
  author_id {uuid} NOT NULL,
  author_name text NOT NULL,
  marking_level text NOT NULL,
  marking_rank integer NOT NULL,
  rel_to text NOT NULL,
  originator text NOT NULL,
  version bigint NOT NULL,
  created_at {ts} NOT NULL,
  updated_at {ts} NOT NULL
);
CREATE UNIQUE INDEX assessment_perspective ON assessment (plan_id, period_key, perspective);

CREATE TABLE assessment_rating (
  assessment_id {uuid} NOT NULL REFERENCES assessment (id),
  item_id {uuid} NOT NULL REFERENCES item (id),
  rating text NOT NULL,
  narrative text NOT NULL,
  PRIMARY KEY (assessment_id, item_id)
);
CREATE INDEX assessment_rating_item ON assessment_rating (item_id);

CREATE TABLE file_blob (
  sha256 text PRIMARY KEY,
  size bigint NOT NULL,
  data {bytes} NOT NULL
);

CREATE TABLE attachment (
  id {uuid} PRIMARY KEY,
  plan_id {uuid} NOT NULL REFERENCES plan (id),
  name text NOT NULL,
  media_type text NOT NULL,
  size bigint NOT NULL,
  sha256 text NOT NULL REFERENCES file_blob (sha256),
  uploaded_by {uuid} NOT NULL,
  marking_level text NOT NULL,
  marking_rank integer NOT NULL,
  rel_to text NOT NULL,
  originator text NOT NULL,
  version bigint NOT NULL,
  created_at {ts} NOT NULL
);
CREATE INDEX attachment_plan ON attachment (plan_id, id);

CREATE TABLE notification (
  id {uuid} PRIMARY KEY,
  user_id {uuid} NOT NULL REFERENCES app_user (id),
  plan_id {uuid} REFERENCES plan (id),
  kind text NOT NULL,
  subject text NOT NULL,
  body text NOT NULL,
  link text NOT NULL,
  dedup_key text NOT NULL,
  email_state text NOT NULL,
  email_attempts integer NOT NULL,
  email_error text,
  created_at {ts} NOT NULL,
  read_at {ts}
);
CREATE UNIQUE INDEX notification_dedup ON notification (dedup_key);
CREATE INDEX notification_user ON notification (user_id, id);
CREATE INDEX notification_email ON notification (email_state, id);
