-- Security keys (WebAuthn credentials), the per-account WebAuthn user handle, and the
-- server-side challenges of every WebAuthn ceremony. Times are Unix milliseconds.

-- The user handle (WebAuthn user.id) is random, never the row id or the username, so an
-- authenticator that lists its credentials tells nothing about the account (WebAuthn §14.6.1).
CREATE TABLE webauthn_user_handles (
  user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  user_handle BLOB NOT NULL UNIQUE
);

CREATE TABLE security_keys (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  -- base64url, as the browser reports it; unique across all accounts.
  credential_id TEXT NOT NULL UNIQUE,
  -- COSE_Key bytes. A public key: not a secret.
  public_key BLOB NOT NULL,
  -- The signature counter. Moved forward only by a conditional UPDATE (WebAuthn §7.2 step 21).
  counter INTEGER NOT NULL,
  -- JSON array of AuthenticatorTransport strings, e.g. ["usb"] or ["internal","hybrid"].
  transports TEXT NOT NULL,
  aaguid TEXT NOT NULL,
  backup_eligible INTEGER NOT NULL,
  backup_state INTEGER NOT NULL,
  type TEXT NOT NULL CHECK (type IN ('usb', 'platform', 'other')),
  name TEXT NOT NULL,
  -- Registered with user verification and as a discoverable (resident) credential: it can sign in
  -- on its own as a passkey.
  passkey_capable INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  last_used_at INTEGER
);
CREATE INDEX security_keys_by_user ON security_keys(user_id, id);

-- One row per options request. A challenge is bound to its purpose and to an account (registration)
-- or a sign-in ticket (second factor); a passkey challenge is bound to this row alone. It is spent
-- by a conditional UPDATE of used_at, so of two racing answers at most one gets through. Rows stay
-- a while after they expire or are used, so a late or replayed answer gets its own explanation.
CREATE TABLE webauthn_challenges (
  challenge TEXT PRIMARY KEY,
  purpose TEXT NOT NULL CHECK (purpose IN ('registration', 'second_factor', 'passkey')),
  user_id INTEGER REFERENCES users(id) ON DELETE CASCADE,
  ticket_hash BLOB,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at INTEGER
) WITHOUT ROWID;
CREATE INDEX webauthn_challenges_by_expiry ON webauthn_challenges(expires_at);
