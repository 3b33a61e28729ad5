-- Search: one row per searchable record, with where it is (plan, item, marking, owner: the
-- access policy applies to these columns in SQL) and its text folded for matching (Latin script,
-- lower case, no diacritics; see liaison_domain::search). The folded text is indexed by an FTS5
-- table that reads its content from here; triggers keep the two in step.
-- Columns that every query filters, counts or ranks on come first, the text last: SQLite reads a
-- row's columns in order and need not read a long text's overflow pages to filter it.
CREATE TABLE search_doc (
  n INTEGER PRIMARY KEY,
  id {uuid} NOT NULL,
  kind text NOT NULL,
  plan_id {uuid},
  item_id {uuid},
  marking_rank integer NOT NULL,
  rel_to text NOT NULL,
  item_rank integer NOT NULL,
  item_rel_to text NOT NULL,
  owner_id {uuid},
  shared_with text NOT NULL,
  status text NOT NULL,
  areas text NOT NULL,
  day {date} NOT NULL,
  code_norm text NOT NULL,
  title_folded text NOT NULL,
  code text NOT NULL,
  title text NOT NULL,
  marking text NOT NULL,
  body text NOT NULL,
  body_folded text NOT NULL
);
CREATE UNIQUE INDEX search_doc_id ON search_doc (id);
CREATE INDEX search_doc_item ON search_doc (item_id);
CREATE INDEX search_doc_code ON search_doc (code_norm);
CREATE VIRTUAL TABLE search_fts USING fts5 (title_folded, body_folded, content = 'search_doc', content_rowid = 'n', tokenize = 'unicode61 remove_diacritics 0');
CREATE TRIGGER search_doc_ai AFTER INSERT ON search_doc BEGIN INSERT INTO search_fts (rowid, title_folded, body_folded) VALUES (NEW.n, NEW.title_folded, NEW.body_folded); END;
CREATE TRIGGER search_doc_ad AFTER DELETE ON search_doc BEGIN INSERT INTO search_fts (search_fts, rowid, title_folded, body_folded) VALUES ('delete', OLD.n, OLD.title_folded, OLD.body_folded); END;
CREATE TRIGGER search_doc_au AFTER UPDATE OF title_folded, body_folded ON search_doc BEGIN INSERT INTO search_fts (search_fts, rowid, title_folded, body_folded) VALUES ('delete', OLD.n, OLD.title_folded, OLD.body_folded); INSERT INTO search_fts (rowid, title_folded, body_folded) VALUES (NEW.n, NEW.title_folded, NEW.body_folded); END;
-- The text read from an evidence file at upload (NULL: not read yet; empty: nothing to read).
ALTER TABLE attachment ADD COLUMN text text;
-- Whether the index holds every record (0 after this migration on a database with data:
-- the next start builds it).
CREATE TABLE search_state (id integer PRIMARY KEY, built integer NOT NULL);
INSERT INTO search_state (id, built) VALUES (1, 0);
