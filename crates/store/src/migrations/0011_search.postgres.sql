-- Search: one row per searchable record, with where it is (plan, item, marking, owner: the
-- access policy applies to these columns in SQL) and its text folded for matching (Latin script,
-- lower case, no diacritics; see liaison_domain::search). The folded text is indexed as a
-- weighted tsvector (title A, text B, 'simple' configuration: the folding is Liaison's, the same
-- on both backends) with the Serbian stemmer's lexemes beside it (weight D), so that other word
-- forms of a Serbian word are found too.
-- Columns that every query filters, counts or ranks on come first, the text last: SQLite reads a
-- row's columns in order and need not read a long text's overflow pages to filter it.
CREATE TABLE search_doc (
  n bigserial,
  id uuid PRIMARY KEY,
  kind text NOT NULL,
  plan_id uuid,
  item_id uuid,
  marking_rank integer NOT NULL,
  rel_to text NOT NULL,
  item_rank integer NOT NULL,
  item_rel_to text NOT NULL,
  owner_id uuid,
  shared_with text NOT NULL,
  status text NOT NULL,
  areas text NOT NULL,
  day date NOT NULL,
  code_norm text NOT NULL,
  title_folded text NOT NULL,
  code text NOT NULL,
  title text NOT NULL,
  marking text NOT NULL,
  body text NOT NULL,
  body_folded text NOT NULL,
  tsv tsvector GENERATED ALWAYS AS (setweight(to_tsvector('simple'::regconfig, title_folded), 'A') || setweight(to_tsvector('simple'::regconfig, body_folded), 'B') || setweight(to_tsvector('serbian'::regconfig, title_folded || ' ' || body_folded), 'D')) STORED
);
CREATE INDEX search_doc_tsv ON search_doc USING gin (tsv);
CREATE INDEX search_doc_item ON search_doc (item_id);
CREATE INDEX search_doc_code ON search_doc (code_norm);
ALTER TABLE attachment ADD COLUMN text text;
CREATE TABLE search_state (id integer PRIMARY KEY, built integer NOT NULL);
INSERT INTO search_state (id, built) VALUES (1, 0);
