import type { PgDatabase } from '../../db/pg-database.js';
import type { AccountProfile } from '../accounts/index.js';
import type { SessionRecord, SessionRepository, SessionValidity } from './repository.js';
import {
  SESSION_COLUMNS,
  sessionValues,
  sessionWithAccountQuery,
  toSession,
  toSessionWithAccount,
  type SessionAccountRow,
  type SessionRow,
} from './rows.js';

/** Built once: every authenticated request runs it (docs/performance.md "CPU profiles"). */
const SELECT_WITH_ACCOUNT = sessionWithAccountQuery('$1');

export class PgSessionRepository implements SessionRepository {
  constructor(private readonly db: PgDatabase) {}

  async create(session: SessionRecord): Promise<void> {
    await this.db.query(
      `INSERT INTO sessions (${SESSION_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      sessionValues(session),
    );
  }

  async findWithAccount(tokenHash: Buffer): Promise<{ session: SessionValidity; account: AccountProfile } | null> {
    const { rows } = await this.db.query<SessionAccountRow>(SELECT_WITH_ACCOUNT, [tokenHash]);
    const row = rows[0];
    return row ? toSessionWithAccount(row) : null;
  }

  async listLive(userId: number, now: number, idleSince: number): Promise<SessionRecord[]> {
    const { rows } = await this.db.query<SessionRow>(
      `SELECT * FROM sessions WHERE user_id = $1 AND expires_at > $2 AND last_seen_at > $3
       ORDER BY created_at DESC, public_id`,
      [userId, now, idleSince],
    );
    return rows.map(toSession);
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

  async deleteByPublicId(userId: number, publicId: string): Promise<boolean> {
    const { rowCount } = await this.db.query('DELETE FROM sessions WHERE user_id = $1 AND public_id = $2', [
      userId,
      publicId,
    ]);
    return (rowCount ?? 0) > 0;
  }

  async deleteAllBut(userId: number, keep: Buffer | null, now: number, idleSince: number): Promise<number> {
    // One statement: the rows it deletes are the rows it counts.
    const { rows } = await this.db.query<{ live: string }>(
      `WITH ended AS (
         DELETE FROM sessions WHERE user_id = $1 AND token_hash IS DISTINCT FROM $2
         RETURNING expires_at, last_seen_at
       )
       SELECT count(*) AS live FROM ended WHERE expires_at > $3 AND last_seen_at > $4`,
      [userId, keep, now, idleSince],
    );
    return Number(rows[0]?.live ?? 0);
  }

  async deleteExpired(now: number, idleSince: number): Promise<number> {
    const { rowCount } = await this.db.query('DELETE FROM sessions WHERE expires_at <= $1 OR last_seen_at <= $2', [
      now,
      idleSince,
    ]);
    return rowCount ?? 0;
  }
}
