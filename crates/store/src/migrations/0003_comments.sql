-- Comments on items.
CREATE TABLE item_comment (
  id {uuid} PRIMARY KEY,
  plan_id {uuid} NOT NULL REFERENCES plan (id),
  item_id {uuid} NOT NULL REFERENCES item (id) ON DELETE CASCADE,
  author_id {uuid} NOT NULL REFERENCES app_user (id),
  author_name text NOT NULL,
  body text NOT NULL,
  marking_level text NOT NULL,
  marking_rank integer NOT NULL,
  rel_to text NOT NULL,
  originator text NOT NULL,
  version bigint NOT NULL,
  created_at {ts} NOT NULL
);
CREATE INDEX item_comment_item ON item_comment (item_id, id);
