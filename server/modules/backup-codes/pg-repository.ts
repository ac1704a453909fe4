import type { PgDatabase } from '../../db/pg-database.js';
import type { BackupCodeRepository, KeyedCodeHash } from './repository.js';

export class PgBackupCodeRepository implements BackupCodeRepository {
  constructor(private readonly db: PgDatabase) {}

  replaceAll(userId: number, codeHashes: Buffer[], keyId: string, now: number): Promise<void> {
    // Two replacements at once must not both delete the old set and then both insert (twenty live
    // codes): the account row lock makes the second wait, and its DELETE then sees the first's set.
    return this.db.transaction(async () => {
      await this.db.lockAccount(userId);
      await this.db.query('DELETE FROM backup_codes WHERE user_id = $1', [userId]);
      await this.db.query(
        `INSERT INTO backup_codes (user_id, code_hash, key_id, created_at)
         SELECT $1, hash, $3, $4 FROM unnest($2::bytea[]) AS hash`,
        [userId, codeHashes, keyId, now],
      );
    });
  }

  async consume(userId: number, candidates: readonly KeyedCodeHash[], now: number): Promise<boolean> {
    // The conditional UPDATE is the spend: a racing spend waits for the row lock, then finds
    // used_at set and changes nothing (READ COMMITTED re-checks the WHERE clause). One code is one
    // row, which at most one candidate's hash matches.
    for (const { keyId, codeHash } of candidates) {
      const { rowCount } = await this.db.query(
        `UPDATE backup_codes SET used_at = $1
         WHERE user_id = $2 AND code_hash = $3 AND (key_id = $4 OR key_id IS NULL) AND used_at IS NULL`,
        [now, userId, codeHash, keyId],
      );
      if (rowCount === 1) return true;
    }
    return false;
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
