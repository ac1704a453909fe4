import type { PgDatabase } from '../../db/pg-database.js';
import type { Account, AccountRepository } from './repository.js';
import { toAccount, type AccountRow } from './rows.js';

export class PgAccountRepository implements AccountRepository {
  constructor(private readonly db: PgDatabase) {}

  async create(account: Omit<Account, 'id'>): Promise<Account | null> {
    // ON CONFLICT waits for a racing insert of the same key to commit, then does nothing: the
    // unique index decides, and the loser gets no row back.
    const { rows } = await this.db.query<{ id: number }>(
      `INSERT INTO users (username, username_key, password_hash, created_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (username_key) DO NOTHING RETURNING id`,
      [account.username, account.usernameKey, account.passwordHash, account.createdAt],
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
}
