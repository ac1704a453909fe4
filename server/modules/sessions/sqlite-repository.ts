import type { Database } from '../../db/database.js';
import type { SessionRecord, SessionRepository } from './repository.js';
import { toSession, type SessionRow } from './rows.js';

export class SqliteSessionRepository implements SessionRepository {
  private readonly insert;
  private readonly select;
  private readonly updateLastSeen;
  private readonly remove;
  private readonly removeExpired;

  constructor(private readonly db: Database) {
    const c = db.connection;
    this.insert = c.prepare(
      'INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?)',
    );
    this.select = c.prepare<[Buffer], SessionRow>('SELECT * FROM sessions WHERE token_hash = ?');
    this.updateLastSeen = c.prepare(
      `UPDATE sessions SET last_seen_at = @now
       WHERE token_hash = @tokenHash AND last_seen_at < @now AND last_seen_at > @idleSince AND expires_at > @now`,
    );
    this.remove = c.prepare('DELETE FROM sessions WHERE token_hash = ?');
    this.removeExpired = c.prepare('DELETE FROM sessions WHERE expires_at <= ? OR last_seen_at <= ?');
  }

  create(session: SessionRecord): Promise<void> {
    return this.db.run(() => {
      this.insert.run(session.tokenHash, session.userId, session.createdAt, session.lastSeenAt, session.expiresAt);
    });
  }

  find(tokenHash: Buffer): Promise<SessionRecord | null> {
    return this.db.run(() => {
      const row = this.select.get(tokenHash);
      return row ? toSession(row) : null;
    });
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

  deleteExpired(now: number, idleSince: number): Promise<number> {
    return this.db.run(() => this.removeExpired.run(now, idleSince).changes);
  }
}
