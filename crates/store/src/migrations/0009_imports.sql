-- Imports are two steps: an upload is stored with its preview (what would be created or
-- changed, and every problem found), and applying carries the preview out in one transaction.
-- The file itself is kept (content-addressed, in file_blob) so that applying reads exactly the
-- bytes that were previewed.

CREATE TABLE import_job (
  id {uuid} PRIMARY KEY,
  kind text NOT NULL,
  file_name text NOT NULL,
  sha256 text NOT NULL REFERENCES file_blob (sha256),
  size bigint NOT NULL,
  created_by {uuid} NOT NULL REFERENCES app_user (id),
  created_at {ts} NOT NULL,
  state text NOT NULL,
  preview text NOT NULL,
  applied_at {ts},
  result text
);
CREATE INDEX import_job_creator ON import_job (created_by, created_at);
