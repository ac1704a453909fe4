-- PostgreSQL counterpart of ../003_attempt_bounds.sql: attempt reservations, bounded counts,
-- set-up attempts and username skeletons (SECURITY.md "Attempt limits"). Times are Unix
-- milliseconds from the server's clock, never the database's (SECURITY.md "Clocks that disagree").

-- A judgement reserved before it is made and settled after it; counts only until expires_at.
CREATE TABLE attempt_reservations (
  id text PRIMARY KEY,
  -- The account limit it counts against (the username key); null: none (registration).
  username_key text,
  -- The address bucket it counts against (IPv4 address or IPv6 /64); null: loopback, exempt.
  address text,
  expires_at bigint NOT NULL
);
CREATE INDEX attempt_reservations_by_account ON attempt_reservations(username_key, expires_at);
CREATE INDEX attempt_reservations_by_address ON attempt_reservations(address, expires_at);
CREATE INDEX attempt_reservations_by_expiry ON attempt_reservations(expires_at);

-- Counts for names that have no account are bounded in number; registration deletes a name's
-- count, so no account inherits it.
ALTER TABLE account_attempts ADD COLUMN has_account boolean NOT NULL DEFAULT true;
UPDATE account_attempts
  SET has_account = EXISTS (SELECT 1 FROM users WHERE users.username_key = account_attempts.username_key);
CREATE INDEX account_attempts_without_account ON account_attempts(has_account) WHERE NOT has_account;
-- The sweep forgets a count a while after its last failure and its lock.
CREATE INDEX account_attempts_by_activity ON account_attempts(GREATEST(last_failure_at, locked_until));
CREATE INDEX address_attempts_by_window ON address_attempts(window_started_at);

-- Codes tried against a pending TOTP set-up: it ends after 5 wrong ones.
ALTER TABLE totp_credentials ADD COLUMN setup_attempts integer NOT NULL DEFAULT 0;

-- What a name looks like (Unicode TS #39 §4 skeleton; server/modules/accounts/username.ts): a new
-- name whose skeleton an account already has is refused. Filled for older accounts at start.
ALTER TABLE users ADD COLUMN username_skeleton text;
CREATE INDEX users_by_skeleton ON users(username_skeleton);
