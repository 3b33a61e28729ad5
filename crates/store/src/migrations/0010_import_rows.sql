-- An import's preview kept as rows, not as one document: a 50 MB file can have tens of
-- thousands of activities and problems, and neither making the preview nor answering it may
-- hold them all in memory. The import_job row keeps the summary (totals, organisations); its
-- activities and problems are written in batches while the file is read, and read back in
-- pages, problems in file order (line, column).

CREATE TABLE import_problem (
  import_id {uuid} NOT NULL REFERENCES import_job (id),
  seq bigint NOT NULL,
  line integer NOT NULL,
  col integer NOT NULL,
  severity text NOT NULL,
  path text NOT NULL,
  code text NOT NULL,
  message text NOT NULL,
  PRIMARY KEY (import_id, seq)
);
CREATE INDEX import_problem_place ON import_problem (import_id, line, col, seq);

CREATE TABLE import_activity (
  import_id {uuid} NOT NULL REFERENCES import_job (id),
  seq bigint NOT NULL,
  body text NOT NULL,
  PRIMARY KEY (import_id, seq)
);
