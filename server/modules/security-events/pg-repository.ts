import type { PgDatabase } from '../../db/pg-database.js';
import type { SecurityEvent, SecurityEventRepository } from './repository.js';
import { toEvent, type EventRow } from './rows.js';

export class PgSecurityEventRepository implements SecurityEventRepository {
  constructor(private readonly db: PgDatabase) {}

  async add(userId: number, event: SecurityEvent): Promise<void> {
    await this.db.query('INSERT INTO security_events (user_id, type, at, ip, user_agent) VALUES ($1, $2, $3, $4, $5)', [
      userId,
      event.type,
      event.at,
      event.ip,
      event.userAgent,
    ]);
  }

  async listRecent(userId: number, limit: number): Promise<SecurityEvent[]> {
    const { rows } = await this.db.query<EventRow>(
      'SELECT type, at, ip, user_agent FROM security_events WHERE user_id = $1 ORDER BY id DESC LIMIT $2',
      [userId, limit],
    );
    return rows.map(toEvent);
  }
}
