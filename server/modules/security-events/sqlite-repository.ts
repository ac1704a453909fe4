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
    // Typed parameters: an untyped `?` that the planner looks at (the LIMIT, the user beside ORDER
    // BY) makes SQLite prepare the statement again on every run (server/db/database.ts).
    this.selectRecent = db.connection.prepare<[number, number], EventRow>(
      `SELECT type, at, ip, user_agent FROM security_events WHERE user_id = CAST(? AS INTEGER)
       ORDER BY id DESC LIMIT CAST(? AS INTEGER)`,
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
