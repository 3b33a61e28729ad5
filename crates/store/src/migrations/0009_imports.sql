-- Imports are two steps: an upload is stored with its preview (what would be created or
-- changed, and every problem found), and applying carries the preview out in one transaction.
-- The file itself is kept, in chunks of 1 MiB (import_chunk), so that applying reads exactly the
-- bytes that were previewed and storing a 100 MB file never needs a second copy of it in memory.

CREATE TABLE import_job (
  id {uuid} PRIMARY KEY,
  kind text NOT NULL,
  file_name text NOT NULL,
  sha256 text NOT NULL,
  size bigint NOT NULL,
  created_by {uuid} NOT NULL REFERENCES app_user (id),
  created_at {ts} NOT NULL,
  state text NOT NULL,
  preview text NOT NULL,
  applied_at {ts},
  result text
);
CREATE INDEX import_job_creator ON import_job (created_by, created_at);

CREATE TABLE import_chunk (
  import_id {uuid} NOT NULL REFERENCES import_job (id),
  n integer NOT NULL,
  data {bytes} NOT NULL,
  PRIMARY KEY (import_id, n)
);
