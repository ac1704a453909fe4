-- The id of the secret key that sealed each TOTP secret and keyed each backup code (SECURITY.md
-- "The secret key"), so that the key can be rotated: a row is opened with the key it names, and
-- the server is given the previous keys for as long as rows name them. Rows from before this
-- migration name none (NULL); a server started with a single key gives them its id, since one
-- key sealed everything until then.
ALTER TABLE totp_credentials ADD COLUMN key_id TEXT;
ALTER TABLE backup_codes ADD COLUMN key_id TEXT;
-- The rows whose key must be at hand: an enabled TOTP secret, an unused backup code. Every start
-- reads which keys they name one index step per key id (a loose index scan).
CREATE INDEX totp_credentials_by_key_id ON totp_credentials(key_id) WHERE enabled_at IS NOT NULL;
CREATE INDEX backup_codes_by_key_id ON backup_codes(key_id) WHERE used_at IS NULL;
