import type { Database } from '../../db/database.js';
import type { Account, AccountProfile, AccountRepository, NewAccount } from './repository.js';
import { PROFILE_COLUMNS, toAccount, toAccountProfile, type AccountProfileRow, type AccountRow } from './rows.js';

export class SqliteAccountRepository implements AccountRepository {
  private readonly insert;
  private readonly byKey;
  private readonly byId;
  private readonly profileById;
  private readonly bySkeleton;
  private readonly withoutSkeleton;
  private readonly setSkeleton;
  private readonly setPasswordHash;
  private readonly all;

  constructor(private readonly db: Database) {
    const c = db.connection;
    this.insert = c.prepare<[string, string, string, number, string], { id: number }>(
      `INSERT INTO users (username, username_key, password_hash, created_at, username_skeleton) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (username_key) DO NOTHING RETURNING id`,
    );
    this.bySkeleton = c.prepare<[string], AccountRow>('SELECT * FROM users WHERE username_skeleton = ? LIMIT 1');
    this.withoutSkeleton = c.prepare<[number], { id: number; username_key: string }>(
      'SELECT id, username_key FROM users WHERE username_skeleton IS NULL LIMIT CAST(? AS INTEGER)',
    );
    this.setSkeleton = c.prepare('UPDATE users SET username_skeleton = ? WHERE id = ?');
    this.byKey = c.prepare<[string], AccountRow>('SELECT * FROM users WHERE username_key = ?');
    this.byId = c.prepare<[number], AccountRow>('SELECT * FROM users WHERE id = ?');
    this.profileById = c.prepare<[number], AccountProfileRow>(`SELECT ${PROFILE_COLUMNS} FROM users WHERE id = ?`);
    this.all = c.prepare<[], AccountRow>('SELECT * FROM users ORDER BY username_key');
    this.setPasswordHash = c.prepare('UPDATE users SET password_hash = ? WHERE id = ? AND password_hash = ?');
  }

  listAll(): Promise<Account[]> {
    return this.db.run(() => this.all.all().map(toAccount));
  }

  replacePasswordHash(id: number, currentHash: string, newHash: string): Promise<boolean> {
    return this.db.run(() => this.setPasswordHash.run(newHash, id, currentHash).changes === 1);
  }

  create({ usernameSkeleton, ...account }: NewAccount): Promise<Account | null> {
    return this.db.run(() => {
      const row = this.insert.get(
        account.username,
        account.usernameKey,
        account.passwordHash,
        account.createdAt,
        usernameSkeleton,
      );
      return row ? { ...account, id: row.id } : null;
    });
  }

  findBySkeleton(skeleton: string): Promise<Account | null> {
    return this.db.run(() => {
      const row = this.bySkeleton.get(skeleton);
      return row ? toAccount(row) : null;
    });
  }

  fillMissingSkeletons(skeletonOf: (usernameKey: string) => string, batch: number): Promise<number> {
    return this.db.run((connection) =>
      connection.transaction(() => {
        const rows = this.withoutSkeleton.all(batch);
        for (const row of rows) this.setSkeleton.run(skeletonOf(row.username_key), row.id);
        return rows.length;
      })(),
    );
  }

  findByKey(usernameKey: string): Promise<Account | null> {
    return this.db.run(() => {
      const row = this.byKey.get(usernameKey);
      return row ? toAccount(row) : null;
    });
  }

  findById(id: number): Promise<Account | null> {
    return this.db.run(() => {
      const row = this.byId.get(id);
      return row ? toAccount(row) : null;
    });
  }

  findProfileById(id: number): Promise<AccountProfile | null> {
    return this.db.run(() => {
      const row = this.profileById.get(id);
      return row ? toAccountProfile(row) : null;
    });
  }
}
