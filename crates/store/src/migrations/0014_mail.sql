-- Mail through a submission server: when an email that failed is tried next (a growing
-- backoff), a claim so that one server of several sends it, and the daily digest a person may
-- choose instead of one email per notification.
ALTER TABLE notification ADD COLUMN email_next_at {ts};
ALTER TABLE notification ADD COLUMN email_claimed_until {ts};

CREATE TABLE mail_preference (
  user_id {uuid} PRIMARY KEY REFERENCES app_user (id) ON DELETE CASCADE,
  -- One email a day listing the notifications, instead of one email each.
  digest {bool} NOT NULL,
  -- When the last digest went out.
  digest_sent_at {ts}
);
