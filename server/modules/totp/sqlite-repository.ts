import type { Sealed } from '../../crypto/secret-vault.js';
import type { Database } from '../../db/database.js';
import type { TotpCredential, TotpRepository } from './repository.js';
import { toCredential, type TotpRow } from './rows.js';

export class SqliteTotpRepository implements TotpRepository {
  private readonly select;
  private readonly upsertPending;
  private readonly enableStatement;
  private readonly acceptStatement;
  private readonly deleteStatement;
  private readonly takeAttemptStatement;
  private readonly deletePendingStatement;
  private readonly resealStatement;
  private readonly selectNotSealedUnder;
  private readonly selectUnlabeled;

  constructor(private readonly db: Database) {
    const c = db.connection;
    this.select = c.prepare<[number], TotpRow>('SELECT * FROM totp_credentials WHERE user_id = ?');
    this.upsertPending = c.prepare(
      `INSERT INTO totp_credentials (user_id, secret_sealed, key_id, enabled_at, setup_expires_at)
       VALUES (@userId, @sealed, @keyId, NULL, @expiresAt)
       ON CONFLICT (user_id) DO UPDATE SET secret_sealed = @sealed, key_id = @keyId, setup_expires_at = @expiresAt,
         last_used_step = -1, setup_attempts = 0
       WHERE enabled_at IS NULL`,
    );
    this.enableStatement = c.prepare(
      `UPDATE totp_credentials SET enabled_at = @now, setup_expires_at = NULL, last_used_step = @step
       WHERE user_id = @userId AND enabled_at IS NULL AND setup_expires_at > @now`,
    );
    this.acceptStatement = c.prepare(
      'UPDATE totp_credentials SET last_used_step = @step WHERE user_id = @userId AND enabled_at IS NOT NULL AND last_used_step < @step',
    );
    this.deleteStatement = c.prepare('DELETE FROM totp_credentials WHERE user_id = ? AND enabled_at IS NOT NULL');
    this.takeAttemptStatement = c.prepare<[{ userId: number; now: number; max: number }], TotpRow>(
      `UPDATE totp_credentials SET setup_attempts = setup_attempts + 1
       WHERE user_id = @userId AND enabled_at IS NULL AND setup_expires_at > @now AND setup_attempts < @max
       RETURNING *`,
    );
    this.deletePendingStatement = c.prepare('DELETE FROM totp_credentials WHERE user_id = ? AND enabled_at IS NULL');
    this.resealStatement = c.prepare(
      'UPDATE totp_credentials SET secret_sealed = @sealed, key_id = @keyId WHERE user_id = @userId AND secret_sealed = @from',
    );
    this.selectUnlabeled = c.prepare<[], TotpRow>(
      'SELECT * FROM totp_credentials WHERE key_id IS NULL AND enabled_at IS NOT NULL LIMIT 1',
    );
    this.selectNotSealedUnder = c.prepare<[string, number, number], TotpRow>(
      `SELECT * FROM totp_credentials WHERE key_id IS NOT ? AND user_id > CAST(? AS INTEGER)
       ORDER BY user_id LIMIT CAST(? AS INTEGER)`,
    );
  }

  get(userId: number): Promise<TotpCredential | null> {
    return this.db.run(() => {
      const row = this.select.get(userId);
      return row ? toCredential(row) : null;
    });
  }

  takeSetupAttempt(userId: number, now: number, maxAttempts: number): Promise<TotpCredential | null> {
    return this.db.run(() => {
      const row = this.takeAttemptStatement.get({ userId, now, max: maxAttempts });
      return row ? toCredential(row) : null;
    });
  }

  endPending(userId: number): Promise<void> {
    return this.db.run(() => {
      this.deletePendingStatement.run(userId);
    });
  }

  savePending(userId: number, secret: Sealed, expiresAt: number): Promise<boolean> {
    return this.db.run(
      () => this.upsertPending.run({ userId, sealed: secret.sealed, keyId: secret.keyId, expiresAt }).changes === 1,
    );
  }

  enable(userId: number, now: number, step: number): Promise<boolean> {
    return this.db.run(() => this.enableStatement.run({ userId, now, step }).changes === 1);
  }

  acceptStep(userId: number, step: number): Promise<boolean> {
    return this.db.run(() => this.acceptStatement.run({ userId, step }).changes === 1);
  }

  deleteEnabled(userId: number): Promise<boolean> {
    return this.db.run(() => this.deleteStatement.run(userId).changes === 1);
  }

  reseal(userId: number, from: Buffer, to: Sealed): Promise<boolean> {
    return this.db.run(
      () => this.resealStatement.run({ userId, from, sealed: to.sealed, keyId: to.keyId }).changes === 1,
    );
  }

  findUnlabeled(): Promise<TotpCredential | null> {
    return this.db.run(() => {
      const row = this.selectUnlabeled.get();
      return row ? toCredential(row) : null;
    });
  }

  listNotSealedUnder(keyId: string, afterUserId: number, limit: number): Promise<TotpCredential[]> {
    return this.db.run(() => this.selectNotSealedUnder.all(keyId, afterUserId, limit).map(toCredential));
  }
}
