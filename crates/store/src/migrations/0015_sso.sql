-- Single sign-on: the provider accounts linked to Liaison accounts, and sign-ins on their way
-- to a provider and back (kept in the database, so that any server of several can finish a
-- sign-in another one began).
CREATE TABLE sso_identity (
  provider text NOT NULL,
  -- The provider's `sub`.
  subject text NOT NULL,
  user_id {uuid} NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
  linked_at {ts} NOT NULL,
  PRIMARY KEY (provider, subject)
);
CREATE INDEX sso_identity_by_user ON sso_identity (user_id);

CREATE TABLE sso_flow (
  -- SHA-256 of the `state`, which the browser's cookie holds too.
  state_hash text PRIMARY KEY,
  provider text NOT NULL,
  nonce text NOT NULL,
  pkce_verifier text NOT NULL,
  -- Where to go once signed in (a local path).
  next text NOT NULL,
  created_at {ts} NOT NULL,
  expires_at {ts} NOT NULL
);
