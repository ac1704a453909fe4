import type { PgDatabase } from '../../db/pg-database.js';
import type { SignInTicket, TicketRepository } from './ticket-repository.js';
import { toTicket, type TicketRow } from './ticket-rows.js';

export class PgTicketRepository implements TicketRepository {
  constructor(private readonly db: PgDatabase) {}

  create(ticket: SignInTicket, keepPerUser: number): Promise<void> {
    // Under the account's ticket lock, so that tickets made at once for one account are trimmed
    // one after another: each trim sees the others, and no more than keepPerUser stay.
    return this.db.transaction(async () => {
      await this.db.lockNames([`sign-in tickets of user ${ticket.userId}`]);
      await this.db.query(
        'INSERT INTO sign_in_tickets (ticket_hash, user_id, created_at, expires_at, failures) VALUES ($1, $2, $3, $4, 0)',
        [ticket.ticketHash, ticket.userId, ticket.createdAt, ticket.expiresAt],
      );
      // The new ticket always stays, with the newest others up to `keep` in all.
      await this.db.query(
        `DELETE FROM sign_in_tickets WHERE user_id = $1 AND ticket_hash != $2 AND ticket_hash NOT IN (
           SELECT ticket_hash FROM sign_in_tickets WHERE user_id = $1 AND expires_at > $3 AND ticket_hash != $2
           ORDER BY created_at DESC, ticket_hash LIMIT $4 - 1)`,
        [ticket.userId, ticket.ticketHash, ticket.createdAt, keepPerUser],
      );
    });
  }

  async findLive(ticketHash: Buffer, now: number, maxAttempts: number): Promise<SignInTicket | null> {
    const { rows } = await this.db.query<TicketRow>(
      'SELECT * FROM sign_in_tickets WHERE ticket_hash = $1 AND expires_at > $2 AND failures < $3',
      [ticketHash, now, maxAttempts],
    );
    const row = rows[0];
    return row ? toTicket(row) : null;
  }

  async takeAttempt(ticketHash: Buffer, now: number, maxAttempts: number): Promise<SignInTicket | null> {
    // Racing codes queue on the row lock; each re-checks the count on the committed row
    // (READ COMMITTED), so no more than maxAttempts codes are ever checked on one ticket.
    const { rows } = await this.db.query<TicketRow>(
      `UPDATE sign_in_tickets SET failures = failures + 1
       WHERE ticket_hash = $1 AND expires_at > $2 AND failures < $3 RETURNING *`,
      [ticketHash, now, maxAttempts],
    );
    const row = rows[0];
    return row ? toTicket(row) : null;
  }

  async consume(ticketHash: Buffer, now: number): Promise<boolean> {
    const { rowCount } = await this.db.query('DELETE FROM sign_in_tickets WHERE ticket_hash = $1 AND expires_at > $2', [
      ticketHash,
      now,
    ]);
    return rowCount === 1;
  }

  async deleteForUser(userId: number): Promise<number> {
    const { rowCount } = await this.db.query('DELETE FROM sign_in_tickets WHERE user_id = $1', [userId]);
    return rowCount ?? 0;
  }

  async deleteExpired(now: number): Promise<number> {
    const { rowCount } = await this.db.query('DELETE FROM sign_in_tickets WHERE expires_at <= $1', [now]);
    return rowCount ?? 0;
  }
}
