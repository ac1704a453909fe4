import type { PgDatabase } from '../../db/pg-database.js';
import type { Account } from '../accounts/index.js';
import type { SessionRecord, SessionRepository } from './repository.js';
import { toSessionWithAccount, type SessionAccountRow } from './rows.js';

export class PgSessionRepository implements SessionRepository {
  constructor(private readonly db: PgDatabase) {}

  async create(session: SessionRecord): Promise<void> {
    await this.db.query(
      'INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at) VALUES ($1, $2, $3, $4, $5)',
      [session.tokenHash, session.userId, session.createdAt, session.lastSeenAt, session.expiresAt],
    );
  }

  async findWithAccount(tokenHash: Buffer): Promise<{ session: SessionRecord; account: Account } | null> {
    const { rows } = await this.db.query<SessionAccountRow>(
      `SELECT s.token_hash, s.user_id, s.created_at, s.last_seen_at, s.expires_at,
              u.username, u.username_key, u.password_hash, u.created_at AS account_created_at
       FROM sessions AS s JOIN users AS u ON u.id = s.user_id
       WHERE s.token_hash = $1`,
      [tokenHash],
    );
    const row = rows[0];
    return row ? toSessionWithAccount(row) : null;
  }

  async touch(tokenHash: Buffer, now: number): Promise<void> {
    await this.db.query('UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2', [now, tokenHash]);
  }

  async delete(tokenHash: Buffer): Promise<void> {
    await this.db.query('DELETE FROM sessions WHERE token_hash = $1', [tokenHash]);
  }

  async deleteExpired(now: number, idleSince: number): Promise<number> {
    const { rowCount } = await this.db.query('DELETE FROM sessions WHERE expires_at <= $1 OR last_seen_at <= $2', [
      now,
      idleSince,
    ]);
    return rowCount ?? 0;
  }
}
