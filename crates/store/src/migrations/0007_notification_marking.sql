-- Notifications carry the marking of what they are about (with the plan they already name), so
-- that they are read through the access policy like every other record: a recipient who loses a
-- role or a clearance no longer reads them. Accounts remember their language, so that what is
-- written for them (notifications, e-mails) is written in it.

ALTER TABLE notification ADD COLUMN marking_level text NOT NULL DEFAULT 'public';
ALTER TABLE notification ADD COLUMN marking_rank integer NOT NULL DEFAULT 0;
ALTER TABLE notification ADD COLUMN rel_to text NOT NULL DEFAULT '';
ALTER TABLE notification ADD COLUMN originator text NOT NULL DEFAULT '';

-- Notifications written before this step are about their plan's records: they take the plan's
-- marking, the least any of them was marked.
UPDATE notification SET
  marking_level = (SELECT p.marking_level FROM plan p WHERE p.id = notification.plan_id),
  marking_rank = (SELECT p.marking_rank FROM plan p WHERE p.id = notification.plan_id),
  rel_to = (SELECT p.rel_to FROM plan p WHERE p.id = notification.plan_id),
  originator = (SELECT p.originator FROM plan p WHERE p.id = notification.plan_id)
WHERE plan_id IS NOT NULL;

ALTER TABLE app_user ADD COLUMN language text NOT NULL DEFAULT 'en';
