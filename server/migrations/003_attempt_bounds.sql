-- Attempt reservations, bounded counts and set-up attempts (SECURITY.md "Attempt limits").
-- Every judgement (a password hashed, a code
-- or a security-key answer checked) is reserved before it is made and settled after it, so that
-- parallel requests see each other's judgements in flight. A reservation counts only until
-- expires_at: one left behind by a crash holds nothing for longer than that.
CREATE TABLE attempt_reservations (
  id TEXT PRIMARY KEY,
  -- The account limit it counts against (the username key); null: none (registration).
  username_key TEXT,
  -- The address bucket it counts against (IPv4 address or IPv6 /64); null: loopback, exempt.
  address TEXT,
  expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX attempt_reservations_by_account ON attempt_reservations(username_key, expires_at);
CREATE INDEX attempt_reservations_by_address ON attempt_reservations(address, expires_at);
CREATE INDEX attempt_reservations_by_expiry ON attempt_reservations(expires_at);

-- Counts for names that have no account are bounded in number (they only keep an unknown name
-- answering like a known one); registration deletes a name's count, so no account inherits it.
ALTER TABLE account_attempts ADD COLUMN has_account INTEGER NOT NULL DEFAULT 1;
UPDATE account_attempts
  SET has_account = EXISTS (SELECT 1 FROM users WHERE users.username_key = account_attempts.username_key);
CREATE INDEX account_attempts_without_account ON account_attempts(has_account) WHERE has_account = 0;
-- The sweep forgets a count a while after its last failure and its lock (SECURITY.md).
CREATE INDEX account_attempts_by_activity ON account_attempts(max(last_failure_at, locked_until));
CREATE INDEX address_attempts_by_window ON address_attempts(window_started_at);

-- Codes tried against a pending TOTP set-up: it ends after 5 wrong ones (SECURITY.md).
ALTER TABLE totp_credentials ADD COLUMN setup_attempts INTEGER NOT NULL DEFAULT 0;

-- What a name looks like (Unicode TS #39 §4 skeleton; server/modules/accounts/username.ts): a new
-- name whose skeleton an account already has is refused. Filled for older accounts at start.
ALTER TABLE users ADD COLUMN username_skeleton TEXT;
CREATE INDEX users_by_skeleton ON users(username_skeleton);
