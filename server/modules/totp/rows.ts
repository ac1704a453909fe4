// The totp_credentials row as both backends return it.
import type { TotpCredential } from './repository.js';

export interface TotpRow {
  user_id: number;
  secret_sealed: Buffer;
  enabled_at: number | null;
  setup_expires_at: number | null;
  last_used_step: number;
  setup_attempts: number;
  key_id: string | null;
}

export const toCredential = (row: TotpRow): TotpCredential => ({
  userId: row.user_id,
  secretSealed: row.secret_sealed,
  enabledAt: row.enabled_at,
  setupExpiresAt: row.setup_expires_at,
  lastUsedStep: row.last_used_step,
  setupAttempts: row.setup_attempts,
  keyId: row.key_id,
});
