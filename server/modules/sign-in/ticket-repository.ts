/** Live tickets kept per account; a new one ends the oldest beyond this (SECURITY.md). */
export const LIVE_TICKETS_PER_ACCOUNT = 100;

export interface SignInTicket {
  ticketHash: Buffer;
  userId: number;
  createdAt: number;
  expiresAt: number;
  /** Codes tried with it so far (the right one included: it ends the ticket). */
  failures: number;
}

/** Second-factor tickets: what a correct password earns while two-factor is on. */
export interface TicketRepository {
  /**
   * Stores a ticket and, in the same atomic step, deletes the user's oldest live tickets beyond
   * `keepPerUser` (someone who knows the password cannot pile them up).
   */
  create(ticket: SignInTicket, keepPerUser: number): Promise<void>;
  /** The ticket if it has not expired and has had fewer than `maxAttempts` codes tried. */
  findLive(ticketHash: Buffer, now: number, maxAttempts: number): Promise<SignInTicket | null>;
  /**
   * Takes one attempt before a code is checked: one conditional update that adds one to the count
   * only while the ticket is live and under `maxAttempts`, and returns the ticket; null when it is
   * not. Atomic across server processes, so no burst of codes on one ticket gets more than
   * `maxAttempts` checks (docs/api.md "Sign-in tickets and sessions": a ticket dies after 5 wrong
   * codes).
   */
  takeAttempt(ticketHash: Buffer, now: number, maxAttempts: number): Promise<SignInTicket | null>;
  /** Ends a live ticket; true for exactly one caller (a sign-in ends the ticket it used: docs/api.md "Session"). */
  consume(ticketHash: Buffer, now: number): Promise<boolean>;
  /** Ends every ticket of the account (its password changed, or an administrator reset it). */
  deleteForUser(userId: number): Promise<number>;
  deleteExpired(now: number): Promise<number>;
}
