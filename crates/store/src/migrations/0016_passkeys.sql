-- Passkeys (WebAuthn) as a second factor: an account's registered authenticators, passkeys
-- being registered from the account page, and the passkey ceremony of a sign-in waiting for
-- its second factor (kept in the database, so that any server of several finishes a ceremony
-- another one began).
CREATE TABLE passkey (
  id {uuid} PRIMARY KEY,
  user_id {uuid} NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
  -- The authenticator's credential id (base64url): registered to one account only.
  credential_id text NOT NULL UNIQUE,
  -- The account holder's name for it ("YubiKey at the office").
  name text NOT NULL,
  -- The public key, its algorithm and signature counter, as webauthn-rs keeps them (JSON).
  -- Nothing in it is secret.
  credential text NOT NULL,
  created_at {ts} NOT NULL,
  last_used_at {ts}
);
CREATE INDEX passkey_by_user ON passkey (user_id);

-- A registration begun on the account page: its challenge (webauthn-rs's state, JSON), one
-- at a time per account.
CREATE TABLE passkey_registration (
  user_id {uuid} PRIMARY KEY REFERENCES app_user (id) ON DELETE CASCADE,
  state text NOT NULL,
  expires_at {ts} NOT NULL
);

-- A sign-in waiting for its second factor, answered with a passkey: the ceremony's state.
ALTER TABLE login_challenge ADD COLUMN passkey_state text;
