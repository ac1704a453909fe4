-- PostgreSQL counterpart of ../004_secret_key_ids.sql: the id of the secret key that sealed each
-- TOTP secret and keyed each backup code, so that the key can be rotated (SECURITY.md "The secret
-- key"). Rows from before it name none (NULL) until a server started with a single key gives them
-- its id.
ALTER TABLE totp_credentials ADD COLUMN key_id text;
ALTER TABLE backup_codes ADD COLUMN key_id text;
-- The rows whose key must be at hand, read one index step per key id at every start.
CREATE INDEX totp_credentials_by_key_id ON totp_credentials(key_id) WHERE enabled_at IS NOT NULL;
CREATE INDEX backup_codes_by_key_id ON backup_codes(key_id) WHERE used_at IS NULL;
