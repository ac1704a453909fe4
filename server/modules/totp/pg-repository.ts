import type { Sealed } from '../../crypto/secret-vault.js';
import type { PgDatabase } from '../../db/pg-database.js';
import type { TotpCredential, TotpRepository } from './repository.js';
import { toCredential, type TotpRow } from './rows.js';

export class PgTotpRepository implements TotpRepository {
  constructor(private readonly db: PgDatabase) {}

  async get(userId: number): Promise<TotpCredential | null> {
    const { rows } = await this.db.query<TotpRow>('SELECT * FROM totp_credentials WHERE user_id = $1', [userId]);
    const row = rows[0];
    return row ? toCredential(row) : null;
  }

  async savePending(userId: number, secret: Sealed, expiresAt: number): Promise<boolean> {
    const { rowCount } = await this.db.query(
      `INSERT INTO totp_credentials (user_id, secret_sealed, key_id, enabled_at, setup_expires_at)
       VALUES ($1, $2, $3, NULL, $4)
       ON CONFLICT (user_id) DO UPDATE SET secret_sealed = $2, key_id = $3, setup_expires_at = $4, last_used_step = -1,
         setup_attempts = 0
       WHERE totp_credentials.enabled_at IS NULL`,
      [userId, secret.sealed, secret.keyId, expiresAt],
    );
    return rowCount === 1;
  }

  async takeSetupAttempt(userId: number, now: number, maxAttempts: number): Promise<TotpCredential | null> {
    // Racing codes queue on the row lock; each re-checks setup_attempts on the committed row, so
    // no more than maxAttempts of them are ever checked.
    const { rows } = await this.db.query<TotpRow>(
      `UPDATE totp_credentials SET setup_attempts = setup_attempts + 1
       WHERE user_id = $1 AND enabled_at IS NULL AND setup_expires_at > $2 AND setup_attempts < $3
       RETURNING *`,
      [userId, now, maxAttempts],
    );
    const row = rows[0];
    return row ? toCredential(row) : null;
  }

  async endPending(userId: number): Promise<void> {
    await this.db.query('DELETE FROM totp_credentials WHERE user_id = $1 AND enabled_at IS NULL', [userId]);
  }

  async enable(userId: number, now: number, step: number): Promise<boolean> {
    const { rowCount } = await this.db.query(
      `UPDATE totp_credentials SET enabled_at = $2, setup_expires_at = NULL, last_used_step = $3
       WHERE user_id = $1 AND enabled_at IS NULL AND setup_expires_at > $2`,
      [userId, now, step],
    );
    return rowCount === 1;
  }

  async acceptStep(userId: number, step: number): Promise<boolean> {
    // RFC 6238 §5.2: a racing submission of the same step waits for the row lock, then finds
    // last_used_step moved and changes nothing (READ COMMITTED re-checks the WHERE clause).
    const { rowCount } = await this.db.query(
      'UPDATE totp_credentials SET last_used_step = $2 WHERE user_id = $1 AND enabled_at IS NOT NULL AND last_used_step < $2',
      [userId, step],
    );
    return rowCount === 1;
  }

  async deleteEnabled(userId: number): Promise<boolean> {
    const { rowCount } = await this.db.query(
      'DELETE FROM totp_credentials WHERE user_id = $1 AND enabled_at IS NOT NULL',
      [userId],
    );
    return rowCount === 1;
  }

  async reseal(userId: number, from: Buffer, to: Sealed): Promise<boolean> {
    const { rowCount } = await this.db.query(
      'UPDATE totp_credentials SET secret_sealed = $3, key_id = $4 WHERE user_id = $1 AND secret_sealed = $2',
      [userId, from, to.sealed, to.keyId],
    );
    return rowCount === 1;
  }

  async findUnlabeled(): Promise<TotpCredential | null> {
    const { rows } = await this.db.query<TotpRow>(
      'SELECT * FROM totp_credentials WHERE key_id IS NULL AND enabled_at IS NOT NULL LIMIT 1',
    );
    return rows[0] ? toCredential(rows[0]) : null;
  }

  async listNotSealedUnder(keyId: string, afterUserId: number, limit: number): Promise<TotpCredential[]> {
    const { rows } = await this.db.query<TotpRow>(
      `SELECT * FROM totp_credentials WHERE key_id IS DISTINCT FROM $1 AND user_id > $2 ORDER BY user_id LIMIT $3`,
      [keyId, afterUserId, limit],
    );
    return rows.map(toCredential);
  }
}
