-- Tailored assistance and activities: the partner's requests, Allies' offers (scoped to the
-- offering organisation and those it shares them with), and activities. Item lists are stored
-- as ",id,id," like other lists.

CREATE TABLE assistance_request (
  id {uuid} PRIMARY KEY,
  plan_id {uuid} NOT NULL REFERENCES plan (id),
  title text NOT NULL,
  need text NOT NULL,
  kind text NOT NULL,
  period_start {date} NOT NULL,
  period_end {date} NOT NULL,
  priority text NOT NULL,
  items text NOT NULL,
  state text NOT NULL,
  requested_by {uuid} NOT NULL REFERENCES organisation (id),
  marking_level text NOT NULL,
  marking_rank integer NOT NULL,
  rel_to text NOT NULL,
  originator text NOT NULL,
  version bigint NOT NULL,
  created_at {ts} NOT NULL,
  updated_at {ts} NOT NULL
);
CREATE INDEX assistance_request_plan ON assistance_request (plan_id, id);

CREATE TABLE assistance_offer (
  id {uuid} PRIMARY KEY,
  plan_id {uuid} NOT NULL REFERENCES plan (id),
  offered_by {uuid} NOT NULL REFERENCES organisation (id),
  kind text NOT NULL,
  title text NOT NULL,
  description text NOT NULL,
  value_minor bigint,
  currency text,
  period_start {date} NOT NULL,
  period_end {date} NOT NULL,
  items text NOT NULL,
  answers {uuid} REFERENCES assistance_request (id),
  state text NOT NULL,
  reason text,
  shared_with text NOT NULL,
  created_by {uuid} NOT NULL,
  marking_level text NOT NULL,
  marking_rank integer NOT NULL,
  rel_to text NOT NULL,
  originator text NOT NULL,
  version bigint NOT NULL,
  created_at {ts} NOT NULL,
  updated_at {ts} NOT NULL
);
CREATE INDEX assistance_offer_plan ON assistance_offer (plan_id, id);
CREATE INDEX assistance_offer_by ON assistance_offer (offered_by);

CREATE TABLE activity (
  id {uuid} PRIMARY KEY,
  plan_id {uuid} NOT NULL REFERENCES plan (id),
  kind text NOT NULL,
  title text NOT NULL,
  description text NOT NULL,
  first_day {date} NOT NULL,
  last_day {date} NOT NULL,
  place text NOT NULL,
  organiser {uuid} REFERENCES organisation (id),
  items text NOT NULL,
  offer_id {uuid} REFERENCES assistance_offer (id),
  women integer NOT NULL,
  men integer NOT NULL,
  catalogue_ref text NOT NULL,
  outcome text NOT NULL,
  feedback text NOT NULL,
  marking_level text NOT NULL,
  marking_rank integer NOT NULL,
  rel_to text NOT NULL,
  originator text NOT NULL,
  version bigint NOT NULL,
  created_at {ts} NOT NULL,
  updated_at {ts} NOT NULL
);
CREATE INDEX activity_plan ON activity (plan_id, first_day);
CREATE INDEX activity_organiser ON activity (organiser, first_day);
