import type { PgDatabase } from '../../db/pg-database.js';
import type { SignInTicket, TicketRepository } from './ticket-repository.js';
import { toTicket, type TicketRow } from './ticket-rows.js';

export class PgTicketRepository implements TicketRepository {
  constructor(private readonly db: PgDatabase) {}

  async create(ticket: SignInTicket): Promise<void> {
    await this.db.query(
      'INSERT INTO sign_in_tickets (ticket_hash, user_id, created_at, expires_at, failures) VALUES ($1, $2, $3, $4, 0)',
      [ticket.ticketHash, ticket.userId, ticket.createdAt, ticket.expiresAt],
    );
  }

  async findLive(ticketHash: Buffer, now: number, maxFailures: number): Promise<SignInTicket | null> {
    const { rows } = await this.db.query<TicketRow>(
      'SELECT * FROM sign_in_tickets WHERE ticket_hash = $1 AND expires_at > $2 AND failures < $3',
      [ticketHash, now, maxFailures],
    );
    const row = rows[0];
    return row ? toTicket(row) : null;
  }

  addFailure(ticketHash: Buffer, maxFailures: number): Promise<void> {
    // The UPDATE holds the ticket's row lock until the transaction ends: the deletion at the
    // limit follows the count it saw, whatever else counts a failure on the same ticket.
    return this.db.transaction(async () => {
      const { rows } = await this.db.query<{ failures: number }>(
        'UPDATE sign_in_tickets SET failures = failures + 1 WHERE ticket_hash = $1 RETURNING failures',
        [ticketHash],
      );
      if (rows[0] && rows[0].failures >= maxFailures) {
        await this.db.query('DELETE FROM sign_in_tickets WHERE ticket_hash = $1', [ticketHash]);
      }
    });
  }

  async consume(ticketHash: Buffer, now: number, maxFailures: number): Promise<boolean> {
    const { rowCount } = await this.db.query(
      'DELETE FROM sign_in_tickets WHERE ticket_hash = $1 AND expires_at > $2 AND failures < $3',
      [ticketHash, now, maxFailures],
    );
    return rowCount === 1;
  }

  async deleteExpired(now: number): Promise<void> {
    await this.db.query('DELETE FROM sign_in_tickets WHERE expires_at <= $1', [now]);
  }
}
