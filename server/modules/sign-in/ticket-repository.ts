export interface SignInTicket {
  ticketHash: Buffer;
  userId: number;
  createdAt: number;
  expiresAt: number;
  failures: number;
}

/** Second-factor tickets: what a correct password earns while two-factor is on. */
export interface TicketRepository {
  create(ticket: SignInTicket): Promise<void>;
  /** The ticket if it has not expired and has fewer than `maxFailures` wrong codes. */
  findLive(ticketHash: Buffer, now: number, maxFailures: number): Promise<SignInTicket | null>;
  /** Counts a wrong code; the ticket is deleted when it reaches `maxFailures`. */
  addFailure(ticketHash: Buffer, maxFailures: number): Promise<void>;
  /** Ends a live ticket; true for exactly one caller (API.md: a sign-in ends the ticket it used). */
  consume(ticketHash: Buffer, now: number, maxFailures: number): Promise<boolean>;
  deleteExpired(now: number): Promise<void>;
}
