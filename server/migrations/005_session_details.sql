-- Where each session was signed in (docs/api.md "GET /api/v1/me/sessions"), and the challenge of a
-- security-key test.
--
-- public_id is what the session list and DELETE /api/v1/me/sessions/:id name: random, never the
-- token or its hash (SECURITY.md "Sessions"). ip, user_agent and sign_in_method are what the server
-- saw at sign-in; they stay null for sessions that began before this migration.
ALTER TABLE sessions ADD COLUMN public_id TEXT;
ALTER TABLE sessions ADD COLUMN ip TEXT;
ALTER TABLE sessions ADD COLUMN user_agent TEXT;
ALTER TABLE sessions ADD COLUMN sign_in_method TEXT
  CHECK (sign_in_method IN ('password', 'totp', 'backup_code', 'security_key', 'passkey'));
UPDATE sessions SET public_id = lower(hex(randomblob(16))) WHERE public_id IS NULL;
CREATE UNIQUE INDEX sessions_by_public_id ON sessions(public_id);

-- A security-key test (POST /api/v1/me/security-keys/:id/test/options) has a challenge of its own
-- purpose, bound to the account. SQLite cannot change a CHECK constraint in place: the table is
-- made again with the wider one, its rows copied.
CREATE TABLE webauthn_challenges_005 (
  challenge TEXT PRIMARY KEY,
  purpose TEXT NOT NULL CHECK (purpose IN ('registration', 'second_factor', 'passkey', 'key_test')),
  user_id INTEGER REFERENCES users(id) ON DELETE CASCADE,
  ticket_hash BLOB,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at INTEGER
) WITHOUT ROWID;
INSERT INTO webauthn_challenges_005 (challenge, purpose, user_id, ticket_hash, created_at, expires_at, used_at)
  SELECT challenge, purpose, user_id, ticket_hash, created_at, expires_at, used_at FROM webauthn_challenges;
DROP TABLE webauthn_challenges;
ALTER TABLE webauthn_challenges_005 RENAME TO webauthn_challenges;
CREATE INDEX webauthn_challenges_by_expiry ON webauthn_challenges(expires_at);
