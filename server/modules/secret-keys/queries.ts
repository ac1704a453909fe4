// The statements of the key-use repositories, the same text on SQLite and PostgreSQL, and their rows.
import type { KeyUse } from './repository.js';

/** A loose index scan of each table's key_id index (the partial ones of 004_secret_key_ids.sql). */
export const KEY_IDS_IN_USE = `
  WITH RECURSIVE
    totp_keys(key_id) AS (
      SELECT min(key_id) FROM totp_credentials WHERE enabled_at IS NOT NULL
      UNION ALL
      SELECT (SELECT min(key_id) FROM totp_credentials WHERE enabled_at IS NOT NULL AND key_id > totp_keys.key_id)
      FROM totp_keys WHERE totp_keys.key_id IS NOT NULL
    ),
    code_keys(key_id) AS (
      SELECT min(key_id) FROM backup_codes WHERE used_at IS NULL
      UNION ALL
      SELECT (SELECT min(key_id) FROM backup_codes WHERE used_at IS NULL AND key_id > code_keys.key_id)
      FROM code_keys WHERE code_keys.key_id IS NOT NULL
    )
  SELECT key_id FROM totp_keys WHERE key_id IS NOT NULL
  UNION
  SELECT key_id FROM code_keys WHERE key_id IS NOT NULL`;

export const KEY_USAGE = `
  SELECT key_id, CAST(sum(totp) AS BIGINT) AS totp_secrets, CAST(sum(codes) AS BIGINT) AS backup_code_accounts
  FROM (
    SELECT key_id, count(*) AS totp, 0 AS codes FROM totp_credentials WHERE enabled_at IS NOT NULL GROUP BY key_id
    UNION ALL
    SELECT key_id, 0 AS totp, count(DISTINCT user_id) AS codes FROM backup_codes WHERE used_at IS NULL GROUP BY key_id
  ) AS uses
  GROUP BY key_id ORDER BY key_id`;

export interface KeyUsageRow {
  key_id: string | null;
  totp_secrets: number;
  backup_code_accounts: number;
}

export const toKeyUse = (row: KeyUsageRow): KeyUse => ({
  keyId: row.key_id,
  totpSecrets: row.totp_secrets,
  backupCodeAccounts: row.backup_code_accounts,
});
