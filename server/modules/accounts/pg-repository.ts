import type { PgDatabase } from '../../db/pg-database.js';
import type { Account, AccountProfile, AccountRepository, NewAccount } from './repository.js';
import { PROFILE_COLUMNS, toAccount, toAccountProfile, type AccountProfileRow, type AccountRow } from './rows.js';

export class PgAccountRepository implements AccountRepository {
  constructor(private readonly db: PgDatabase) {}

  async create({ usernameSkeleton, ...account }: NewAccount): Promise<Account | null> {
    // ON CONFLICT waits for a racing insert of the same key to commit, then does nothing: the
    // unique index decides, and the loser gets no row back.
    const { rows } = await this.db.query<{ id: number }>(
      `INSERT INTO users (username, username_key, password_hash, created_at, username_skeleton) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (username_key) DO NOTHING RETURNING id`,
      [account.username, account.usernameKey, account.passwordHash, account.createdAt, usernameSkeleton],
    );
    return rows[0] ? { ...account, id: rows[0].id } : null;
  }

  async findByKey(usernameKey: string): Promise<Account | null> {
    const { rows } = await this.db.query<AccountRow>('SELECT * FROM users WHERE username_key = $1', [usernameKey]);
    return rows[0] ? toAccount(rows[0]) : null;
  }

  async findById(id: number): Promise<Account | null> {
    const { rows } = await this.db.query<AccountRow>('SELECT * FROM users WHERE id = $1', [id]);
    return rows[0] ? toAccount(rows[0]) : null;
  }

  async findProfileById(id: number): Promise<AccountProfile | null> {
    const { rows } = await this.db.query<AccountProfileRow>(`SELECT ${PROFILE_COLUMNS} FROM users WHERE id = $1`, [id]);
    return rows[0] ? toAccountProfile(rows[0]) : null;
  }

  async listAll(): Promise<Account[]> {
    const { rows } = await this.db.query<AccountRow>('SELECT * FROM users ORDER BY username_key');
    return rows.map(toAccount);
  }

  async replacePasswordHash(id: number, currentHash: string, newHash: string): Promise<boolean> {
    const { rowCount } = await this.db.query(
      'UPDATE users SET password_hash = $1 WHERE id = $2 AND password_hash = $3',
      [newHash, id, currentHash],
    );
    return rowCount === 1;
  }

  async findBySkeleton(skeleton: string): Promise<Account | null> {
    const { rows } = await this.db.query<AccountRow>('SELECT * FROM users WHERE username_skeleton = $1 LIMIT 1', [
      skeleton,
    ]);
    return rows[0] ? toAccount(rows[0]) : null;
  }

  fillMissingSkeletons(skeletonOf: (usernameKey: string) => string, batch: number): Promise<number> {
    // Instances starting together take turns on the rows: one that finds rows another is filling
    // waits for its commit and passes over them, so none answers 0 while a row is still empty.
    return this.db.transaction(async () => {
      const { rows } = await this.db.query<{ id: number; username_key: string }>(
        'SELECT id, username_key FROM users WHERE username_skeleton IS NULL LIMIT $1 FOR NO KEY UPDATE',
        [batch],
      );
      if (rows.length === 0) return 0;
      await this.db.query(
        `UPDATE users SET username_skeleton = filled.skeleton
         FROM unnest($1::bigint[], $2::text[]) AS filled(id, skeleton) WHERE users.id = filled.id`,
        [rows.map((row) => row.id), rows.map((row) => skeletonOf(row.username_key))],
      );
      return rows.length;
    });
  }
}
