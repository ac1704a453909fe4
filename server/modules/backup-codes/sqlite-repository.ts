import type { Database } from '../../db/database.js';
import type { BackupCodeRepository, KeyedCodeHash } from './repository.js';

export class SqliteBackupCodeRepository implements BackupCodeRepository {
  private readonly removeAll;
  private readonly insert;
  private readonly markUsed;
  private readonly countUnused;

  constructor(private readonly db: Database) {
    const c = db.connection;
    this.removeAll = c.prepare('DELETE FROM backup_codes WHERE user_id = ?');
    this.insert = c.prepare('INSERT INTO backup_codes (user_id, code_hash, key_id, created_at) VALUES (?, ?, ?, ?)');
    // The conditional UPDATE is the spend: SQLite runs it atomically, so of any number of
    // simultaneous uses exactly one sees used_at IS NULL.
    this.markUsed = c.prepare(
      `UPDATE backup_codes SET used_at = @now
       WHERE user_id = @userId AND code_hash = @codeHash AND (key_id = @keyId OR key_id IS NULL) AND used_at IS NULL`,
    );
    this.countUnused = c
      .prepare<[number], number>('SELECT count(*) FROM backup_codes WHERE user_id = ? AND used_at IS NULL')
      .pluck();
  }

  replaceAll(userId: number, codeHashes: Buffer[], keyId: string, now: number): Promise<void> {
    return this.db.run((connection) => {
      connection.transaction(() => {
        this.removeAll.run(userId);
        for (const hash of codeHashes) this.insert.run(userId, hash, keyId, now);
      })();
    });
  }

  consume(userId: number, candidates: readonly KeyedCodeHash[], now: number): Promise<boolean> {
    // One synchronous block: no other statement runs between the candidates.
    return this.db.run(() =>
      candidates.some(({ keyId, codeHash }) => this.markUsed.run({ now, userId, codeHash, keyId }).changes === 1),
    );
  }

  countRemaining(userId: number): Promise<number> {
    return this.db.run(() => this.countUnused.get(userId) ?? 0);
  }

  deleteAll(userId: number): Promise<void> {
    return this.db.run(() => {
      this.removeAll.run(userId);
    });
  }
}
