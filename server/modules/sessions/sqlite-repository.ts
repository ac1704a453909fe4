import type { Database } from '../../db/database.js';
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

/** A session that can still authenticate: not past its end, not idle too long. */
const LIVE = 'expires_at > ? AND last_seen_at > ?';

export class SqliteSessionRepository implements SessionRepository {
  private readonly insert;
  private readonly select;
  private readonly selectLive;
  private readonly updateLastSeen;
  private readonly remove;
  private readonly removeByPublicId;
  private readonly countLiveOthers;
  private readonly removeOthers;
  private readonly removeExpired;

  constructor(private readonly db: Database) {
    const c = db.connection;
    this.insert = c.prepare(`INSERT INTO sessions (${SESSION_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.select = c.prepare<[Buffer], SessionAccountRow>(sessionWithAccountQuery('CAST(? AS BLOB)'));
    // A typed user id: untyped beside ORDER BY, SQLite prepares it again on every run (database.ts).
    this.selectLive = c.prepare<[number, number, number], SessionRow>(
      `SELECT * FROM sessions WHERE user_id = CAST(? AS INTEGER) AND ${LIVE} ORDER BY created_at DESC, public_id`,
    );
    this.updateLastSeen = c.prepare(
      `UPDATE sessions SET last_seen_at = @now
       WHERE token_hash = @tokenHash AND last_seen_at < @now AND last_seen_at > @idleSince AND expires_at > @now`,
    );
    this.remove = c.prepare('DELETE FROM sessions WHERE token_hash = ?');
    this.removeByPublicId = c.prepare('DELETE FROM sessions WHERE user_id = ? AND public_id = ?');
    // `token_hash IS NOT ?` with null keeps nothing back: every session of the account goes.
    this.countLiveOthers = c
      .prepare<[number, Buffer | null, number, number], number>(
        `SELECT count(*) FROM sessions WHERE user_id = ? AND token_hash IS NOT ? AND ${LIVE}`,
      )
      .pluck();
    this.removeOthers = c.prepare('DELETE FROM sessions WHERE user_id = ? AND token_hash IS NOT ?');
    this.removeExpired = c.prepare('DELETE FROM sessions WHERE expires_at <= ? OR last_seen_at <= ?');
  }

  create(session: SessionRecord): Promise<void> {
    return this.db.run(() => {
      this.insert.run(...sessionValues(session));
    });
  }

  findWithAccount(tokenHash: Buffer): Promise<{ session: SessionValidity; account: AccountProfile } | null> {
    return this.db.run(() => {
      const row = this.select.get(tokenHash);
      return row ? toSessionWithAccount(row) : null;
    });
  }

  listLive(userId: number, now: number, idleSince: number): Promise<SessionRecord[]> {
    return this.db.run(() => this.selectLive.all(userId, now, idleSince).map(toSession));
  }

  touch(tokenHash: Buffer, now: number, idleSince: number): Promise<void> {
    return this.db.run(() => {
      this.updateLastSeen.run({ now, tokenHash, idleSince });
    });
  }

  delete(tokenHash: Buffer): Promise<void> {
    return this.db.run(() => {
      this.remove.run(tokenHash);
    });
  }

  deleteByPublicId(userId: number, publicId: string): Promise<boolean> {
    return this.db.run(() => this.removeByPublicId.run(userId, publicId).changes > 0);
  }

  deleteAllBut(userId: number, keep: Buffer | null, now: number, idleSince: number): Promise<number> {
    // One synchronous step on the one connection: nothing runs between the count and the delete.
    return this.db.run(() => {
      const live = this.countLiveOthers.get(userId, keep, now, idleSince) ?? 0;
      this.removeOthers.run(userId, keep);
      return live;
    });
  }

  deleteExpired(now: number, idleSince: number): Promise<number> {
    return this.db.run(() => this.removeExpired.run(now, idleSince).changes);
  }
}
