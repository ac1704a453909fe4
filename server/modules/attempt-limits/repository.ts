// Attempt limits in storage (SECURITY.md "Attempt limits"). The contract every implementation
// keeps, SQLite in one process as PostgreSQL under several server processes sharing one database:
//
// - A judgement (a password hashed, a code or a security-key answer checked) is *reserved* before
//   the slow work and *settled* after it. `reserve` reads the counts and the live reservations of
//   its keys and, if `admit` allows it, adds its own reservation, as ONE atomic step: no other
//   reserve or settle for the same account key or address may interleave, whichever process runs
//   it (SQLite: one synchronous block; PostgreSQL: one transaction that locks the two counter
//   rows, or their keys, before counting). Two reserves that would together pass a limit can
//   therefore never both succeed.
// - A reservation is live while `expiresAt > now`; an expired one counts for nothing (a crash
//   between reserve and settle leaves nothing that outlives it). `now` is the caller's clock.
// - `settleFailure`, `settleSuccess` and `release` each remove the reservation, atomically with
//   what they record, and report whether it was still live ("held"). A settle whose reservation
//   was no longer held records nothing: the caller then withholds the judgement from the client.
// - Every method may run inside the caller's transaction (Database.transaction); the settles are
//   meant to, so that the count commits with the event and the session it belongs to.
// - A judgement reserved and settled inside ONE transaction of the caller, with nothing slow
//   between (a second factor's code check), is *unstored*: `reserve` with a null id stores no row,
//   and the settle is given the key and address instead of an id. The lock that made the reserve
//   atomic (SQLite: the transaction runs alone; PostgreSQL: the advisory locks, held until commit)
//   is still held when the settle commits, and a stored row would have been deleted before any
//   other transaction could see it: it only cost writes (docs/performance.md "Second-factor
//   sign-in"). Outside a transaction an unstored reserve throws.

export interface AccountAttempts {
  consecutiveFailures: number;
  /** Unix ms; sign-in answers 429 until then. */
  lockedUntil: number;
}

export interface AddressAttempts {
  windowStartedAt: number;
  failures: number;
}

/** What `admit` sees: the counts of the keys asked for, each with its live reservations. */
export interface ReservationState {
  account: (AccountAttempts & { inFlight: number }) | null;
  address: (AddressAttempts & { inFlight: number }) | null;
  /**
   * Live reservations of every key: what the server is judging right now. A load guard, not a
   * limit: it may be read without locking other keys.
   */
  totalInFlight: number;
}

export interface ReservationRequest {
  /** Random, chosen by the caller; names the reservation in the settle. Null: unstored (above). */
  id: string | null;
  /** The account limit to count against; null for none. */
  usernameKey: string | null;
  /** The address bucket to count against; null for none (loopback). */
  address: string | null;
  now: number;
  expiresAt: number;
}

export interface FailureRecord {
  now: number;
  /** The lock for the account's new consecutive count (0: none). */
  lockUntil: (consecutiveFailures: number) => number;
  addressWindowMs: number;
  /**
   * False for a name without an account. Such a name gets a new count only while fewer than
   * `maxNamesWithoutAccount` such counts exist; past that its failure is not counted per name.
   */
  hasAccount: boolean;
  maxNamesWithoutAccount: number;
  /** A new address gets a count only while fewer than this many addresses have one. */
  maxAddresses: number;
}

export interface FailureSettled {
  held: boolean;
  /** The account's count after this failure; null when not held, no account key, or not counted. */
  account: (AccountAttempts & { lockedUntilBefore: number }) | null;
}

export interface SweepRequest {
  now: number;
  /** A name's count is forgotten once its last failure and its lock are this long past. */
  accountRetentionMs: number;
  addressWindowMs: number;
}

/** What a settle is given: a stored reservation's id, or an unstored one's keys (above). */
export type HeldReservation = string | UnstoredReservation;

export interface UnstoredReservation {
  usernameKey: string | null;
  address: string | null;
}

export interface AttemptLimitRepository {
  /**
   * The atomic admission described above: calls `admit` with the state, and when it returns null
   * stores the reservation and returns null; otherwise stores nothing and returns what `admit`
   * returned.
   */
  reserve<R>(request: ReservationRequest, admit: (state: ReservationState) => R | null): Promise<R | null>;
  /** Removes the reservation; when it was held, counts one failure for its account and address. */
  settleFailure(reservation: HeldReservation, failure: FailureRecord): Promise<FailureSettled>;
  /** Removes the reservation; when it was held and `resetAccount`, clears its account's count. */
  settleSuccess(reservation: HeldReservation, now: number, resetAccount: boolean): Promise<boolean>;
  /** Removes the reservation without counting anything (no judgement was made or shown). */
  release(id: string): Promise<void>;
  /** Forgets a name's count and reservations (a new account must not inherit them). */
  forgetAccount(usernameKey: string): Promise<void>;
  /** The account's count and lock as stored, or null when it has none. */
  findAccount(usernameKey: string): Promise<AccountAttempts | null>;
  /** Deletes expired reservations, forgotten counts and ended address windows; returns how many rows. */
  sweep(request: SweepRequest): Promise<number>;
}

/** An unstored reservation is held only by the transaction it is made in (above). */
export function assertUnstoredInTransaction(inTransaction: boolean): void {
  if (!inTransaction) throw new Error('An unstored reservation (id null) works only inside transaction().');
}
