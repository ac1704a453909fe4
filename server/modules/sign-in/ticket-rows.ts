// The sign_in_tickets row as both backends return it.
import type { SignInTicket } from './ticket-repository.js';

export interface TicketRow {
  ticket_hash: Buffer;
  user_id: number;
  created_at: number;
  expires_at: number;
  failures: number;
}

export const toTicket = (row: TicketRow): SignInTicket => ({
  ticketHash: row.ticket_hash,
  userId: row.user_id,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
  failures: row.failures,
});
