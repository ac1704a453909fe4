import type { PgDatabase } from '../../db/pg-database.js';
import type { BackupCodeRepository } from './repository.js';

export class PgBackupCodeRepository implements BackupCodeRepository {
  constructor(private readonly db: PgDatabase) {}

  replaceAll(userId: number, codeHashes: Buffer[], now: number): Promise<void> {
    // Two replacements at once must not both delete the old set and then both insert (twenty live
    // codes): the account row lock makes the second wait, and its DELETE then sees the first's set.
    return this.db.transaction(async () => {
      await this.db.lockAccount(userId);
      await this.db.query('DELETE FROM backup_codes WHERE user_id = $1', [userId]);
      await this.db.query(
        'INSERT INTO backup_codes (user_id, code_hash, created_at) SELECT $1, hash, $3 FROM unnest($2::bytea[]) AS hash',
        [userId, codeHashes, now],
      );
    });
  }

  async consume(userId: number, codeHash: Buffer, now: number): Promise<boolean> {
    // The conditional UPDATE is the spend: a racing spend waits for the row lock, then finds
    // used_at set and changes nothing (READ COMMITTED re-checks the WHERE clause).
    const { rowCount } = await this.db.query(
      'UPDATE backup_codes SET used_at = $1 WHERE user_id = $2 AND code_hash = $3 AND used_at IS NULL',
      [now, userId, codeHash],
    );
    return rowCount === 1;
  }

  async countRemaining(userId: number): Promise<number> {
    const { rows } = await this.db.query<{ remaining: number }>(
      'SELECT count(*) AS remaining FROM backup_codes WHERE user_id = $1 AND used_at IS NULL',
      [userId],
    );
    return rows[0]?.remaining ?? 0;
  }

  async deleteAll(userId: number): Promise<void> {
    await this.db.query('DELETE FROM backup_codes WHERE user_id = $1', [userId]);
  }
}
