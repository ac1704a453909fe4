// docs/api.md "Attempt limits": per account, 5 consecutive failures lock sign-in for 1 minute and
// every further failure doubles the wait, up to 24 hours; per client address (loopback exempt),
// 300 failures in 15 minutes lock that address for the rest of the window.
//
// Every judgement is reserved before the slow work it limits (an argon2id hash, a WebAuthn
// verification) and settled after it (repository.ts has the contract). A reservation counts as a
// failure in flight, so no burst of parallel requests, from one server process or several, gets
// more judgements than the limit; and a judgement whose reservation expired before it was settled
// is withheld from the client (503), so even a server too slow to settle in time reveals no more.
import type { AttemptLimitConfig } from '../../config.js';
import { errors } from '../../http/api-error.js';
import type { ClientInfo } from '../../http/client-info.js';
import type { Clock } from '../../platform/clock.js';
import type { Random } from '../../platform/random.js';
import type { AttemptLimitRepository, HeldReservation, ReservationState, UnstoredReservation } from './repository.js';

/** A reservation outlives any judgement by far (milliseconds); one a crash left behind, not by much. */
export const RESERVATION_LIFETIME_MS = 30_000;
/** A name's count is forgotten 30 days after its last failure and the end of its lock. */
export const ACCOUNT_COUNT_RETENTION_MS = 30 * 24 * 3600_000;
/** Counts kept for names that have no account (each is ~100 bytes). */
export const MAX_NAMES_WITHOUT_ACCOUNT = 100_000;
/** Address windows kept at once. */
export const MAX_TRACKED_ADDRESSES = 100_000;
/** Judgements in flight across the server: beyond this, a new one is refused with 503 at once. */
export const MAX_JUDGEMENTS_IN_FLIGHT = 1_000;
/** Retry-After when the limit is full only because of judgements still in flight. */
const IN_FLIGHT_RETRY_SECONDS = 1;

/** One reserved judgement. Settle it exactly once, or release it when no judgement was shown. */
export interface Reservation extends Readonly<UnstoredReservation> {
  /** Null when unstored: reserved and settled in one transaction (judgeInTransaction). */
  readonly id: string | null;
}

export interface FailureOutcome {
  /** This failure is the one that locked the account (for the `locked_out` event). */
  lockedNow: boolean;
}

type Refusal = { status: 429 | 503; retryAfterSeconds: number };

export class AttemptLimiter {
  constructor(
    private readonly repository: AttemptLimitRepository,
    private readonly config: AttemptLimitConfig,
    private readonly clock: Clock,
    private readonly random: Random,
  ) {}

  /**
   * limit: reserves one judgement against the account key (null: none) and the client's address
   * bucket (loopback: none). 429 too_many_attempts while either is at its limit; 503 server_busy
   * while the server is judging too much at once.
   */
  async reserve(usernameKey: string | null, client: ClientInfo, stored = true): Promise<Reservation> {
    const now = this.clock.now();
    const id = stored ? this.random.bytes(16).toString('base64url') : null;
    const address = client.addressBucket;
    const refusal = await this.repository.reserve(
      { id, usernameKey, address, now, expiresAt: now + RESERVATION_LIFETIME_MS },
      (state) => this.admit(state, now),
    );
    if (refusal?.status === 503) throw errors.serverBusy(refusal.retryAfterSeconds);
    if (refusal) throw errors.tooManyAttempts(refusal.retryAfterSeconds);
    return { id, usernameKey, address };
  }

  /**
   * Runs `work` under a reservation, releasing it if `work` throws before settling it (a
   * rolled-back settle included), so that a refused or failed request holds nothing.
   */
  async judge<T>(
    usernameKey: string | null,
    client: ClientInfo,
    work: (reservation: Reservation) => Promise<T>,
  ): Promise<T> {
    const reservation = await this.reserve(usernameKey, client);
    try {
      return await work(reservation);
    } catch (error) {
      if (reservation.id !== null) await this.repository.release(reservation.id);
      throw error;
    }
  }

  /**
   * As judge(), for a judgement with nothing slow to limit, made and settled inside the caller's
   * transaction (a second factor's code check): the same admission, the same counts, but the
   * reservation is not stored — the transaction holds what a stored one would, and a throw rolls
   * back everything it did (repository.ts). Throws outside a transaction.
   */
  async judgeInTransaction<T>(
    usernameKey: string | null,
    client: ClientInfo,
    work: (reservation: Reservation) => Promise<T>,
  ): Promise<T> {
    return work(await this.reserve(usernameKey, client, false));
  }

  /**
   * Counts the judgement as a failure, for the account and the address. Call inside the
   * transaction that records its event. 503 when the reservation had expired: nothing is counted,
   * and the caller must not tell the client the outcome.
   */
  async recordFailure(reservation: Reservation, options: { hasAccount: boolean }): Promise<FailureOutcome> {
    const now = this.clock.now();
    const settled = await this.repository.settleFailure(held(reservation), {
      now,
      lockUntil: (failures) => this.lockUntil(failures, now),
      addressWindowMs: this.config.addressWindowSeconds * 1000,
      hasAccount: options.hasAccount,
      maxNamesWithoutAccount: MAX_NAMES_WITHOUT_ACCOUNT,
      maxAddresses: MAX_TRACKED_ADDRESSES,
    });
    if (!settled.held) throw errors.judgementExpired();
    const account = settled.account;
    return { lockedNow: account !== null && account.lockedUntilBefore <= now && account.lockedUntil > now };
  }

  /** A completed sign-in: clears the account's count. 503 when the reservation had expired. */
  async recordSuccess(reservation: Reservation): Promise<void> {
    if (!(await this.repository.settleSuccess(held(reservation), this.clock.now(), true))) {
      throw errors.judgementExpired();
    }
  }

  /**
   * A right answer that completes nothing yet (a password before its second factor, a password
   * confirming a change): the count stays. 503 when the reservation had expired.
   */
  async recordPass(reservation: Reservation): Promise<void> {
    if (!(await this.repository.settleSuccess(held(reservation), this.clock.now(), false))) {
      throw errors.judgementExpired();
    }
  }

  /** A new account starts with no count, whatever was tried under its name before. */
  forget(usernameKey: string): Promise<void> {
    return this.repository.forgetAccount(usernameKey);
  }

  /**
   * The account's consecutive failures and the end of its sign-in pause (0: none), as an
   * administrator sees them (docs/deployment.md "Helpdesk recovery").
   */
  async accountState(usernameKey: string): Promise<{ consecutiveFailures: number; lockedUntil: number }> {
    return (await this.repository.findAccount(usernameKey)) ?? { consecutiveFailures: 0, lockedUntil: 0 };
  }

  /** Expired reservations, forgotten counts and ended address windows; how many rows went. */
  sweepExpired(): Promise<number> {
    return this.repository.sweep({
      now: this.clock.now(),
      accountRetentionMs: ACCOUNT_COUNT_RETENTION_MS,
      addressWindowMs: this.config.addressWindowSeconds * 1000,
    });
  }

  private admit(state: ReservationState, now: number): Refusal | null {
    if (state.totalInFlight >= MAX_JUDGEMENTS_IN_FLIGHT) {
      return { status: 503, retryAfterSeconds: IN_FLIGHT_RETRY_SECONDS };
    }
    const waits: number[] = [];
    const { account, address } = state;
    if (account) {
      // Failures the account may still take before its next lock: the rest of the threshold, or
      // one once a lock has ended (each further failure then locks it again, for twice as long).
      const budget = Math.max(this.config.accountThreshold - account.consecutiveFailures, 1);
      if (account.lockedUntil > now) waits.push(account.lockedUntil - now);
      else if (account.inFlight >= budget) waits.push(IN_FLIGHT_RETRY_SECONDS * 1000);
    }
    if (address) {
      const windowEnds = address.windowStartedAt + this.config.addressWindowSeconds * 1000;
      const failures = windowEnds > now ? address.failures : 0;
      if (failures >= this.config.addressMaxFailures) waits.push(windowEnds - now);
      else if (failures + address.inFlight >= this.config.addressMaxFailures) {
        waits.push(IN_FLIGHT_RETRY_SECONDS * 1000);
      }
    }
    if (waits.length === 0) return null;
    return { status: 429, retryAfterSeconds: Math.ceil(Math.max(...waits) / 1000) };
  }

  private lockUntil(failures: number, now: number): number {
    const { accountThreshold, accountBaseLockSeconds, accountMaxLockSeconds } = this.config;
    if (failures < accountThreshold) return 0;
    const doublings = Math.min(failures - accountThreshold, 30);
    const seconds = Math.min(accountBaseLockSeconds * 2 ** doublings, accountMaxLockSeconds);
    return now + seconds * 1000;
  }
}

/** What the repository settles: a stored reservation by its id, an unstored one by its keys. */
function held(reservation: Reservation): HeldReservation {
  return reservation.id ?? { usernameKey: reservation.usernameKey, address: reservation.address };
}
