import type { Database } from '../../db/database.js';
import type { SignInTicket, TicketRepository } from './ticket-repository.js';
import { toTicket, type TicketRow } from './ticket-rows.js';

export class SqliteTicketRepository implements TicketRepository {
  private readonly insert;
  private readonly selectLive;
  private readonly incrementFailures;
  private readonly deleteDead;
  private readonly deleteLive;
  private readonly deleteOld;

  constructor(private readonly db: Database) {
    const c = db.connection;
    this.insert = c.prepare(
      'INSERT INTO sign_in_tickets (ticket_hash, user_id, created_at, expires_at, failures) VALUES (?, ?, ?, ?, 0)',
    );
    this.selectLive = c.prepare<[Buffer, number, number], TicketRow>(
      'SELECT * FROM sign_in_tickets WHERE ticket_hash = ? AND expires_at > ? AND failures < ?',
    );
    this.incrementFailures = c.prepare('UPDATE sign_in_tickets SET failures = failures + 1 WHERE ticket_hash = ?');
    this.deleteDead = c.prepare('DELETE FROM sign_in_tickets WHERE ticket_hash = ? AND failures >= ?');
    this.deleteLive = c.prepare(
      'DELETE FROM sign_in_tickets WHERE ticket_hash = ? AND expires_at > ? AND failures < ?',
    );
    this.deleteOld = c.prepare('DELETE FROM sign_in_tickets WHERE expires_at <= ?');
  }

  create(ticket: SignInTicket): Promise<void> {
    return this.db.run(() => {
      this.insert.run(ticket.ticketHash, ticket.userId, ticket.createdAt, ticket.expiresAt);
    });
  }

  findLive(ticketHash: Buffer, now: number, maxFailures: number): Promise<SignInTicket | null> {
    return this.db.run(() => {
      const row = this.selectLive.get(ticketHash, now, maxFailures);
      return row ? toTicket(row) : null;
    });
  }

  addFailure(ticketHash: Buffer, maxFailures: number): Promise<void> {
    return this.db.run(() => {
      this.incrementFailures.run(ticketHash);
      this.deleteDead.run(ticketHash, maxFailures);
    });
  }

  consume(ticketHash: Buffer, now: number, maxFailures: number): Promise<boolean> {
    return this.db.run(() => this.deleteLive.run(ticketHash, now, maxFailures).changes === 1);
  }

  deleteExpired(now: number): Promise<void> {
    return this.db.run(() => {
      this.deleteOld.run(now);
    });
  }
}
