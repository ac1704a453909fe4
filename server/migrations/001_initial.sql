-- Accounts, sessions, second-factor tickets, TOTP, backup codes, attempt limits, security events.
-- Times are Unix milliseconds. Secrets are never stored in clear (SECURITY.md "Someone with a copy
-- of the data folder"): password hashes (argon2id), token and ticket hashes (SHA-256), TOTP secrets
-- (AES-256-GCM), backup codes (HMAC).

CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  username TEXT NOT NULL,
  -- NFKC + lower case: "Alice" and "alice" are one account, and one attempt counter.
  username_key TEXT NOT NULL UNIQUE,
  password_hash TEXT NOT NULL,
  created_at INTEGER NOT NULL
);

CREATE TABLE sessions (
  token_hash BLOB PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX sessions_by_user ON sessions(user_id);

CREATE TABLE sign_in_tickets (
  ticket_hash BLOB PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  failures INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE INDEX sign_in_tickets_by_user ON sign_in_tickets(user_id);

CREATE TABLE totp_credentials (
  user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  -- nonce || ciphertext || tag; the user id is the associated data, so a ciphertext moved to
  -- another row does not decrypt.
  secret_sealed BLOB NOT NULL,
  enabled_at INTEGER,
  setup_expires_at INTEGER,
  -- RFC 6238 §5.2: a code whose step is at or before this one is refused. Moved forward only by
  -- a conditional UPDATE, so two submissions of one code cannot both pass.
  last_used_step INTEGER NOT NULL DEFAULT -1
);

CREATE TABLE backup_codes (
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  code_hash BLOB NOT NULL,
  created_at INTEGER NOT NULL,
  used_at INTEGER,
  PRIMARY KEY (user_id, code_hash)
) WITHOUT ROWID;

CREATE TABLE account_attempts (
  username_key TEXT PRIMARY KEY,
  consecutive_failures INTEGER NOT NULL,
  locked_until INTEGER NOT NULL,
  last_failure_at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE address_attempts (
  address TEXT PRIMARY KEY,
  window_started_at INTEGER NOT NULL,
  failures INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE security_events (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  type TEXT NOT NULL,
  at INTEGER NOT NULL,
  ip TEXT,
  user_agent TEXT
);
CREATE INDEX security_events_by_user ON security_events(user_id, id);
