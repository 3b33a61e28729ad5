-- The public portal: each plan's public page, stories with their photos (kept only as the
-- re-encoded web size and thumbnail: the uploaded file with its metadata is never stored).

CREATE TABLE portal (
  plan_id {uuid} PRIMARY KEY REFERENCES plan (id),
  title text NOT NULL,
  summary text NOT NULL,
  published {bool} NOT NULL,
  version bigint NOT NULL,
  updated_at {ts} NOT NULL
);

CREATE TABLE story (
  id {uuid} PRIMARY KEY,
  plan_id {uuid} NOT NULL REFERENCES plan (id),
  language text NOT NULL,
  title text NOT NULL,
  summary text NOT NULL,
  body text NOT NULL,
  items text NOT NULL,
  activities text NOT NULL,
  state text NOT NULL,
  reason text,
  author_id {uuid} NOT NULL,
  author_name text NOT NULL,
  reviewer_id {uuid},
  published_at {ts},
  marking_level text NOT NULL,
  marking_rank integer NOT NULL,
  rel_to text NOT NULL,
  originator text NOT NULL,
  version bigint NOT NULL,
  created_at {ts} NOT NULL,
  updated_at {ts} NOT NULL
);
CREATE INDEX story_plan ON story (plan_id, state);

CREATE TABLE story_photo (
  id {uuid} PRIMARY KEY,
  story_id {uuid} NOT NULL REFERENCES story (id),
  position integer NOT NULL,
  caption text NOT NULL,
  credit text NOT NULL,
  width integer NOT NULL,
  height integer NOT NULL,
  web_sha256 text NOT NULL REFERENCES file_blob (sha256),
  thumb_sha256 text NOT NULL REFERENCES file_blob (sha256)
);
CREATE INDEX story_photo_story ON story_photo (story_id, position);
