import type { Database } from '../../db/database.js';
import type { SecurityEvent, SecurityEventRepository } from './repository.js';
import { toEvent, type EventRow } from './rows.js';

export class SqliteSecurityEventRepository implements SecurityEventRepository {
  private readonly insert;
  private readonly selectRecent;

  constructor(private readonly db: Database) {
    this.insert = db.connection.prepare(
      'INSERT INTO security_events (user_id, type, at, ip, user_agent) VALUES (?, ?, ?, ?, ?)',
    );
    this.selectRecent = db.connection.prepare<[number, number], EventRow>(
      'SELECT type, at, ip, user_agent FROM security_events WHERE user_id = ? ORDER BY id DESC LIMIT ?',
    );
  }

  add(userId: number, event: SecurityEvent): Promise<void> {
    return this.db.run(() => {
      this.insert.run(userId, event.type, event.at, event.ip, event.userAgent);
    });
  }

  listRecent(userId: number, limit: number): Promise<SecurityEvent[]> {
    return this.db.run(() => this.selectRecent.all(userId, limit).map(toEvent));
  }
}
