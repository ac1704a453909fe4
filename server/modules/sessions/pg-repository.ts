import type { PgDatabase } from '../../db/pg-database.js';
import type { SessionRecord, SessionRepository } from './repository.js';
import { toSession, type SessionRow } from './rows.js';

export class PgSessionRepository implements SessionRepository {
  constructor(private readonly db: PgDatabase) {}

  async create(session: SessionRecord): Promise<void> {
    await this.db.query(
      'INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at) VALUES ($1, $2, $3, $4, $5)',
      [session.tokenHash, session.userId, session.createdAt, session.lastSeenAt, session.expiresAt],
    );
  }

  async find(tokenHash: Buffer): Promise<SessionRecord | null> {
    const { rows } = await this.db.query<SessionRow>('SELECT * FROM sessions WHERE token_hash = $1', [tokenHash]);
    const row = rows[0];
    return row ? toSession(row) : null;
  }

  async touch(tokenHash: Buffer, now: number, idleSince: number): Promise<void> {
    await this.db.query(
      'UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2 AND last_seen_at < $1 AND last_seen_at > $3 AND expires_at > $1',
      [now, tokenHash, idleSince],
    );
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
