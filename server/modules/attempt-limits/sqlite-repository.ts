import type { Database } from '../../db/database.js';
import {
  type AccountAttempts,
  type AttemptLimitRepository,
  type FailureRecord,
  type FailureSettled,
  type HeldReservation,
  assertUnstoredInTransaction,
  type ReservationRequest,
  type ReservationState,
  type SweepRequest,
} from './repository.js';
import {
  unstoredReservationRow,
  type AccountAttemptsRow as AccountRow,
  type AddressAttemptsRow as AddressRow,
  type ReservationRow,
} from './rows.js';

/**
 * Each method is one synchronous block of statements on the one connection, so nothing else runs
 * between its reads and its writes: that is the atomicity repository.ts asks for.
 */
export class SqliteAttemptLimitRepository implements AttemptLimitRepository {
  private readonly selectAccount;
  private readonly incrementAccount;
  private readonly insertAccountIfRoom;
  private readonly lockAccount;
  private readonly deleteAccount;
  private readonly selectAddress;
  private readonly incrementAddress;
  private readonly insertAddressIfRoom;
  private readonly countAccountReservations;
  private readonly countAddressReservations;
  private readonly countReservations;
  private readonly insertReservation;
  private readonly takeReservation;
  private readonly deleteReservation;
  private readonly deleteAccountReservations;
  private readonly deleteExpiredReservations;
  private readonly deleteForgottenAccounts;
  private readonly deleteEndedAddresses;

  constructor(private readonly db: Database) {
    const c = db.connection;
    this.selectAccount = c.prepare<[string], AccountRow>(
      'SELECT consecutive_failures, locked_until FROM account_attempts WHERE username_key = ?',
    );
    this.incrementAccount = c.prepare<[{ key: string; now: number }], AccountRow>(
      `UPDATE account_attempts SET consecutive_failures = consecutive_failures + 1, last_failure_at = @now
       WHERE username_key = @key RETURNING consecutive_failures, locked_until`,
    );
    this.insertAccountIfRoom = c.prepare<[{ key: string; now: number; hasAccount: number; max: number }], AccountRow>(
      `INSERT INTO account_attempts (username_key, consecutive_failures, locked_until, last_failure_at, has_account)
       SELECT @key, 1, 0, @now, @hasAccount
       WHERE @hasAccount = 1 OR (SELECT count(*) FROM account_attempts WHERE has_account = 0) < @max
       RETURNING consecutive_failures, locked_until`,
    );
    this.lockAccount = c.prepare('UPDATE account_attempts SET locked_until = ? WHERE username_key = ?');
    this.deleteAccount = c.prepare('DELETE FROM account_attempts WHERE username_key = ?');
    this.selectAddress = c.prepare<[string], AddressRow>(
      'SELECT window_started_at, failures FROM address_attempts WHERE address = ?',
    );
    this.incrementAddress = c.prepare<[{ address: string; now: number; windowMs: number }], AddressRow>(
      `UPDATE address_attempts SET
         failures = CASE WHEN window_started_at + @windowMs <= @now THEN 1 ELSE failures + 1 END,
         window_started_at = CASE WHEN window_started_at + @windowMs <= @now THEN @now ELSE window_started_at END
       WHERE address = @address RETURNING window_started_at, failures`,
    );
    this.insertAddressIfRoom = c.prepare<[{ address: string; now: number; max: number }]>(
      `INSERT INTO address_attempts (address, window_started_at, failures)
       SELECT @address, @now, 1 WHERE (SELECT count(*) FROM address_attempts) < @max`,
    );
    this.countAccountReservations = c
      .prepare<[string, number], number>(
        'SELECT count(*) FROM attempt_reservations WHERE username_key = ? AND expires_at > ?',
      )
      .pluck();
    this.countAddressReservations = c
      .prepare<[string, number], number>(
        'SELECT count(*) FROM attempt_reservations WHERE address = ? AND expires_at > ?',
      )
      .pluck();
    this.countReservations = c
      .prepare<[number], number>('SELECT count(*) FROM attempt_reservations WHERE expires_at > ?')
      .pluck();
    this.insertReservation = c.prepare(
      'INSERT INTO attempt_reservations (id, username_key, address, expires_at) VALUES (?, ?, ?, ?)',
    );
    this.takeReservation = c.prepare<[string], ReservationRow>(
      'DELETE FROM attempt_reservations WHERE id = ? RETURNING username_key, address, expires_at',
    );
    this.deleteReservation = c.prepare('DELETE FROM attempt_reservations WHERE id = ?');
    this.deleteAccountReservations = c.prepare('DELETE FROM attempt_reservations WHERE username_key = ?');
    this.deleteExpiredReservations = c.prepare('DELETE FROM attempt_reservations WHERE expires_at <= ?');
    this.deleteForgottenAccounts = c.prepare(
      'DELETE FROM account_attempts WHERE max(last_failure_at, locked_until) <= ?',
    );
    this.deleteEndedAddresses = c.prepare('DELETE FROM address_attempts WHERE window_started_at <= ?');
  }

  async reserve<R>(request: ReservationRequest, admit: (state: ReservationState) => R | null): Promise<R | null> {
    if (request.id === null) assertUnstoredInTransaction(this.db.isInTransaction());
    // Committed like any change (and batched with the others): a full disk refuses it with 503
    // storage_unavailable before any work starts.
    return this.db.transaction(() =>
      this.db.run(() => {
        const { now } = request;
        const state: ReservationState = {
          account: null,
          address: null,
          totalInFlight: this.countReservations.get(now) ?? 0,
        };
        if (request.usernameKey !== null) {
          const row = this.selectAccount.get(request.usernameKey);
          state.account = {
            consecutiveFailures: row?.consecutive_failures ?? 0,
            lockedUntil: row?.locked_until ?? 0,
            inFlight: this.countAccountReservations.get(request.usernameKey, now) ?? 0,
          };
        }
        if (request.address !== null) {
          const row = this.selectAddress.get(request.address);
          state.address = {
            windowStartedAt: row?.window_started_at ?? now,
            failures: row?.failures ?? 0,
            inFlight: this.countAddressReservations.get(request.address, now) ?? 0,
          };
        }
        const refusal = admit(state);
        if (refusal !== null) return refusal;
        if (request.id !== null) {
          this.insertReservation.run(request.id, request.usernameKey, request.address, request.expiresAt);
        }
        return null;
      }),
    );
  }

  settleFailure(held: HeldReservation, failure: FailureRecord): Promise<FailureSettled> {
    return this.db.run(() => {
      const reservation = this.take(held);
      if (!reservation || reservation.expires_at <= failure.now) return { held: false, account: null };
      const { now } = failure;
      let account: FailureSettled['account'] = null;
      const key = reservation.username_key;
      if (key !== null) {
        const row =
          this.incrementAccount.get({ key, now }) ??
          this.insertAccountIfRoom.get({
            key,
            now,
            hasAccount: failure.hasAccount ? 1 : 0,
            max: failure.maxNamesWithoutAccount,
          });
        if (row) {
          const lockedUntil = Math.max(row.locked_until, failure.lockUntil(row.consecutive_failures));
          if (lockedUntil !== row.locked_until) this.lockAccount.run(lockedUntil, key);
          account = { consecutiveFailures: row.consecutive_failures, lockedUntil, lockedUntilBefore: row.locked_until };
        }
      }
      const address = reservation.address;
      if (address !== null) {
        const windowMs = failure.addressWindowMs;
        if (!this.incrementAddress.get({ address, now, windowMs })) {
          this.insertAddressIfRoom.run({ address, now, max: failure.maxAddresses });
        }
      }
      return { held: true, account };
    });
  }

  settleSuccess(held: HeldReservation, now: number, resetAccount: boolean): Promise<boolean> {
    return this.db.run(() => {
      const reservation = this.take(held);
      if (!reservation || reservation.expires_at <= now) return false;
      if (resetAccount && reservation.username_key !== null) this.deleteAccount.run(reservation.username_key);
      return true;
    });
  }

  /** Deletes a stored reservation and returns it; an unstored one is held until its transaction ends. */
  private take(held: HeldReservation): ReservationRow | undefined {
    return typeof held === 'string' ? this.takeReservation.get(held) : unstoredReservationRow(held);
  }

  release(id: string): Promise<void> {
    return this.db.run(() => {
      this.deleteReservation.run(id);
    });
  }

  forgetAccount(usernameKey: string): Promise<void> {
    return this.db.run(() => {
      this.deleteAccount.run(usernameKey);
      this.deleteAccountReservations.run(usernameKey);
    });
  }

  findAccount(usernameKey: string): Promise<AccountAttempts | null> {
    return this.db.run(() => {
      const row = this.selectAccount.get(usernameKey);
      return row ? { consecutiveFailures: row.consecutive_failures, lockedUntil: row.locked_until } : null;
    });
  }

  sweep({ now, accountRetentionMs, addressWindowMs }: SweepRequest): Promise<number> {
    return this.db.run(
      () =>
        this.deleteExpiredReservations.run(now).changes +
        this.deleteForgottenAccounts.run(now - accountRetentionMs).changes +
        this.deleteEndedAddresses.run(now - addressWindowMs).changes,
    );
  }
}
