import type { Database } from '../../db/database.js';
import type { SignInTicket, TicketRepository } from './ticket-repository.js';
import { toTicket, type TicketRow } from './ticket-rows.js';

export class SqliteTicketRepository implements TicketRepository {
  private readonly insert;
  private readonly trimForUser;
  private readonly selectLive;
  private readonly incrementAttempts;
  private readonly deleteLive;
  private readonly deleteOld;
  private readonly deleteOfUser;

  constructor(private readonly db: Database) {
    const c = db.connection;
    this.insert = c.prepare(
      'INSERT INTO sign_in_tickets (ticket_hash, user_id, created_at, expires_at, failures) VALUES (?, ?, ?, ?, 0)',
    );
    // The new ticket always stays, with the newest others up to `keep` in all. The user id is typed:
    // untyped beside ORDER BY, SQLite prepares the statement again on every run (database.ts).
    this.trimForUser = c.prepare(
      `DELETE FROM sign_in_tickets WHERE user_id = CAST(@userId AS INTEGER) AND ticket_hash != @ticketHash AND ticket_hash NOT IN (
         SELECT ticket_hash FROM sign_in_tickets
         WHERE user_id = CAST(@userId AS INTEGER) AND expires_at > @now AND ticket_hash != @ticketHash
         ORDER BY created_at DESC, ticket_hash LIMIT @keep - 1)`,
    );
    this.selectLive = c.prepare<[Buffer, number, number], TicketRow>(
      'SELECT * FROM sign_in_tickets WHERE ticket_hash = ? AND expires_at > ? AND failures < ?',
    );
    this.incrementAttempts = c.prepare<[Buffer, number, number], TicketRow>(
      `UPDATE sign_in_tickets SET failures = failures + 1
       WHERE ticket_hash = ? AND expires_at > ? AND failures < ? RETURNING *`,
    );
    this.deleteLive = c.prepare('DELETE FROM sign_in_tickets WHERE ticket_hash = ? AND expires_at > ?');
    this.deleteOld = c.prepare('DELETE FROM sign_in_tickets WHERE expires_at <= ?');
    this.deleteOfUser = c.prepare('DELETE FROM sign_in_tickets WHERE user_id = ?');
  }

  create(ticket: SignInTicket, keepPerUser: number): Promise<void> {
    return this.db.run(() => {
      this.insert.run(ticket.ticketHash, ticket.userId, ticket.createdAt, ticket.expiresAt);
      this.trimForUser.run({
        ticketHash: ticket.ticketHash,
        userId: ticket.userId,
        now: ticket.createdAt,
        keep: keepPerUser,
      });
    });
  }

  findLive(ticketHash: Buffer, now: number, maxAttempts: number): Promise<SignInTicket | null> {
    return this.db.run(() => {
      const row = this.selectLive.get(ticketHash, now, maxAttempts);
      return row ? toTicket(row) : null;
    });
  }

  takeAttempt(ticketHash: Buffer, now: number, maxAttempts: number): Promise<SignInTicket | null> {
    return this.db.run(() => {
      const row = this.incrementAttempts.get(ticketHash, now, maxAttempts);
      return row ? toTicket(row) : null;
    });
  }

  consume(ticketHash: Buffer, now: number): Promise<boolean> {
    return this.db.run(() => this.deleteLive.run(ticketHash, now).changes === 1);
  }

  deleteForUser(userId: number): Promise<number> {
    return this.db.run(() => this.deleteOfUser.run(userId).changes);
  }

  deleteExpired(now: number): Promise<number> {
    return this.db.run(() => this.deleteOld.run(now).changes);
  }
}
