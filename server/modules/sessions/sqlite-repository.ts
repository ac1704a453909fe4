import type { Database } from '../../db/database.js';
import type { Account } from '../accounts/index.js';
import type { SessionRecord, SessionRepository } from './repository.js';
import { toSessionWithAccount, type SessionAccountRow } from './rows.js';

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
    this.select = c.prepare<[Buffer], SessionAccountRow>(
      `SELECT s.token_hash, s.user_id, s.created_at, s.last_seen_at, s.expires_at,
              u.username, u.username_key, u.password_hash, u.created_at AS account_created_at
       FROM sessions AS s JOIN users AS u ON u.id = s.user_id
       WHERE s.token_hash = ?`,
    );
    this.updateLastSeen = c.prepare('UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?');
    this.remove = c.prepare('DELETE FROM sessions WHERE token_hash = ?');
    this.removeExpired = c.prepare('DELETE FROM sessions WHERE expires_at <= ? OR last_seen_at <= ?');
  }

  create(session: SessionRecord): Promise<void> {
    return this.db.run(() => {
      this.insert.run(session.tokenHash, session.userId, session.createdAt, session.lastSeenAt, session.expiresAt);
    });
  }

  findWithAccount(tokenHash: Buffer): Promise<{ session: SessionRecord; account: Account } | null> {
    return this.db.run(() => {
      const row = this.select.get(tokenHash);
      return row ? toSessionWithAccount(row) : null;
    });
  }

  touch(tokenHash: Buffer, now: number): Promise<void> {
    return this.db.run(() => {
      this.updateLastSeen.run(now, tokenHash);
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
