-- The second factor of a sign-in: an account's TOTP key, its recovery codes, and sign-ins
-- waiting for their second factor (kept in the database, so that any server of several can
-- finish a sign-in another one began).
CREATE TABLE user_totp (
  user_id {uuid} PRIMARY KEY REFERENCES app_user (id) ON DELETE CASCADE,
  -- Base-32, as authenticator apps read it.
  secret text NOT NULL,
  -- NULL while it is being set up (the first code has not yet been given).
  confirmed_at {ts},
  -- The last time step accepted: each code is accepted once (RFC 6238, section 5.2).
  last_step bigint,
  created_at {ts} NOT NULL
);

CREATE TABLE recovery_code (
  -- SHA-256 of the account and the code; the code itself is shown once.
  code_hash text PRIMARY KEY,
  user_id {uuid} NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
  created_at {ts} NOT NULL,
  used_at {ts}
);
CREATE INDEX recovery_code_by_user ON recovery_code (user_id);

CREATE TABLE login_challenge (
  -- SHA-256 of the secret in the browser's cookie or the API client's hands.
  token_hash text PRIMARY KEY,
  user_id {uuid} NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
  -- 'verify': the account has a key; 'enrol': it must set one up now (the policy asks it).
  purpose text NOT NULL,
  -- Enrolment: the new key, kept until its first code is given.
  secret text,
  attempts integer NOT NULL,
  created_at {ts} NOT NULL,
  expires_at {ts} NOT NULL,
  source text NOT NULL
);
CREATE INDEX login_challenge_by_user ON login_challenge (user_id);
