-- PostgreSQL counterpart of ../005_session_details.sql: where each session was signed in, and the
-- challenge of a security-key test.
--
-- public_id is what the session list and DELETE /api/v1/me/sessions/:id name: random, never the
-- token or its hash (SECURITY.md "Sessions"). ip, user_agent and sign_in_method are what the server
-- saw at sign-in; they stay null for sessions that began before this migration.
ALTER TABLE sessions ADD COLUMN public_id text;
ALTER TABLE sessions ADD COLUMN ip text;
ALTER TABLE sessions ADD COLUMN user_agent text;
ALTER TABLE sessions ADD COLUMN sign_in_method text
  CHECK (sign_in_method IN ('password', 'totp', 'backup_code', 'security_key', 'passkey'));
UPDATE sessions SET public_id = md5(random()::text || clock_timestamp()::text || token_hash::text)
  WHERE public_id IS NULL;
CREATE UNIQUE INDEX sessions_by_public_id ON sessions(public_id);

ALTER TABLE webauthn_challenges DROP CONSTRAINT webauthn_challenges_purpose_check;
ALTER TABLE webauthn_challenges ADD CONSTRAINT webauthn_challenges_purpose_check
  CHECK (purpose IN ('registration', 'second_factor', 'passkey', 'key_test'));
