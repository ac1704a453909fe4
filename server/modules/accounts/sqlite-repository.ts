import type { Database } from '../../db/database.js';
import type { Account, AccountRepository } from './repository.js';
import { toAccount, type AccountRow } from './rows.js';

export class SqliteAccountRepository implements AccountRepository {
  private readonly insert;
  private readonly byKey;
  private readonly byId;

  constructor(private readonly db: Database) {
    const c = db.connection;
    this.insert = c.prepare<[string, string, string, number], { id: number }>(
      `INSERT INTO users (username, username_key, password_hash, created_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (username_key) DO NOTHING RETURNING id`,
    );
    this.byKey = c.prepare<[string], AccountRow>('SELECT * FROM users WHERE username_key = ?');
    this.byId = c.prepare<[number], AccountRow>('SELECT * FROM users WHERE id = ?');
  }

  create(account: Omit<Account, 'id'>): Promise<Account | null> {
    return this.db.run(() => {
      const row = this.insert.get(account.username, account.usernameKey, account.passwordHash, account.createdAt);
      return row ? { ...account, id: row.id } : null;
    });
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
}
