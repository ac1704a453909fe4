// Attempt limits on PostgreSQL, where several server processes share the counts (repository.ts
// states the contract).
//
// reserve: one transaction that first takes advisory locks on the account key and the address
// (PgDatabase.lockNames: fixed order, held until commit), then reads the counts and the live
// reservations in ONE statement, so all of them are seen as of one moment, and inserts its
// reservation. A second reserve for either key waits for the lock, which is released only once
// the first has committed, so it sees that reservation: two reserves can never both take the last
// judgement. Advisory locks rather than row locks: most names and addresses have no counter row,
// and creating one per reserve would let anyone fill the table.
// Settles need no advisory lock: each commits the removed reservation and the counted failure
// together, so a reserve's one-statement snapshot sees both or neither, and a settle never makes
// failures plus judgements in flight larger.
// Expiry is judged against `now` from the server's injected clock, never the database's now():
// the same rule as on SQLite, which keeps every instance's clock in play (SECURITY.md "Clocks").
import type { PgDatabase } from '../../db/pg-database.js';
import {
  assertUnstoredInTransaction,
  type AccountAttempts,
  type AttemptLimitRepository,
  type FailureRecord,
  type FailureSettled,
  type HeldReservation,
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

interface StateRow {
  total_in_flight: number;
  consecutive_failures: number | null;
  locked_until: number | null;
  account_in_flight: number;
  window_started_at: number | null;
  failures: number | null;
  address_in_flight: number;
}

const STATE = `
  SELECT
    (SELECT count(*) FROM attempt_reservations WHERE expires_at > $1) AS total_in_flight,
    account.consecutive_failures, account.locked_until,
    (SELECT count(*) FROM attempt_reservations WHERE username_key = $2 AND expires_at > $1) AS account_in_flight,
    address.window_started_at, address.failures,
    (SELECT count(*) FROM attempt_reservations WHERE address = $3 AND expires_at > $1) AS address_in_flight
  FROM (VALUES (1)) AS one
  LEFT JOIN account_attempts AS account ON account.username_key = $2
  LEFT JOIN address_attempts AS address ON address.address = $3`;

/**
 * A new counter row is added only while the table has room for it. Under READ COMMITTED two
 * settles may each see the last free place, so a cap can be passed by at most the settles that
 * commit at the same moment (one per database connection); SECURITY.md states the bound.
 */
const ACCOUNT_INCREMENT = `UPDATE account_attempts SET consecutive_failures = consecutive_failures + 1, last_failure_at = $2
  WHERE username_key = $1 RETURNING consecutive_failures, locked_until`;
const ACCOUNT_INSERT_IF_ROOM = `INSERT INTO account_attempts (username_key, consecutive_failures, locked_until, last_failure_at, has_account)
  SELECT $1::text, 1, 0, $2::bigint, $3::boolean
  WHERE $3::boolean OR (SELECT count(*) FROM account_attempts WHERE NOT has_account) < $4
  ON CONFLICT (username_key) DO NOTHING
  RETURNING consecutive_failures, locked_until`;
const ADDRESS_INCREMENT = `UPDATE address_attempts SET
    failures = CASE WHEN window_started_at + $3 <= $2 THEN 1 ELSE failures + 1 END,
    window_started_at = CASE WHEN window_started_at + $3 <= $2 THEN $2 ELSE window_started_at END
  WHERE address = $1 RETURNING window_started_at, failures`;
const ADDRESS_INSERT_IF_ROOM = `INSERT INTO address_attempts (address, window_started_at, failures)
  SELECT $1::text, $2::bigint, 1 WHERE (SELECT count(*) FROM address_attempts) < $3
  ON CONFLICT (address) DO NOTHING
  RETURNING window_started_at, failures`;

export class PgAttemptLimitRepository implements AttemptLimitRepository {
  constructor(private readonly db: PgDatabase) {}

  async reserve<R>(request: ReservationRequest, admit: (state: ReservationState) => R | null): Promise<R | null> {
    const { id, usernameKey, address, now, expiresAt } = request;
    // Unstored: the advisory locks below are then held until the caller's transaction commits
    // with the settle (repository.ts).
    if (id === null) assertUnstoredInTransaction(this.db.isInTransaction());
    return this.db.transaction(async () => {
      await this.db.lockNames([
        ...(usernameKey === null ? [] : [`attempts of account ${usernameKey}`]),
        ...(address === null ? [] : [`attempts from address ${address}`]),
      ]);
      const { rows } = await this.db.query<StateRow>(STATE, [now, usernameKey, address]);
      const row = rows[0]!;
      const state: ReservationState = {
        account:
          usernameKey === null
            ? null
            : {
                consecutiveFailures: row.consecutive_failures ?? 0,
                lockedUntil: row.locked_until ?? 0,
                inFlight: row.account_in_flight,
              },
        address:
          address === null
            ? null
            : {
                windowStartedAt: row.window_started_at ?? now,
                failures: row.failures ?? 0,
                inFlight: row.address_in_flight,
              },
        totalInFlight: row.total_in_flight,
      };
      const refusal = admit(state);
      if (refusal !== null || id === null) return refusal;
      await this.db.query(
        'INSERT INTO attempt_reservations (id, username_key, address, expires_at) VALUES ($1, $2, $3, $4)',
        [id, usernameKey, address, expiresAt],
      );
      return null;
    });
  }

  settleFailure(held: HeldReservation, failure: FailureRecord): Promise<FailureSettled> {
    return this.db.transaction(async () => {
      const reservation = await this.take(held);
      const { now } = failure;
      if (!reservation || reservation.expires_at <= now) return { held: false, account: null };
      let account: FailureSettled['account'] = null;
      const key = reservation.username_key;
      if (key !== null) {
        // The increment (or insert) holds the row's lock until commit: no other failure slips in
        // between the count and the lock computed for it.
        const row = await this.countOne<AccountRow>(ACCOUNT_INCREMENT, [key, now], ACCOUNT_INSERT_IF_ROOM, [
          key,
          now,
          failure.hasAccount,
          failure.maxNamesWithoutAccount,
        ]);
        if (row) {
          const lockedUntil = Math.max(row.locked_until, failure.lockUntil(row.consecutive_failures));
          if (lockedUntil !== row.locked_until) {
            await this.db.query('UPDATE account_attempts SET locked_until = $1 WHERE username_key = $2', [
              lockedUntil,
              key,
            ]);
          }
          account = { consecutiveFailures: row.consecutive_failures, lockedUntil, lockedUntilBefore: row.locked_until };
        }
      }
      const address = reservation.address;
      if (address !== null) {
        await this.countOne<AddressRow>(
          ADDRESS_INCREMENT,
          [address, now, failure.addressWindowMs],
          ADDRESS_INSERT_IF_ROOM,
          [address, now, failure.maxAddresses],
        );
      }
      return { held: true, account };
    });
  }

  settleSuccess(held: HeldReservation, now: number, resetAccount: boolean): Promise<boolean> {
    return this.db.transaction(async () => {
      const reservation = await this.take(held);
      if (!reservation || reservation.expires_at <= now) return false;
      if (resetAccount && reservation.username_key !== null) {
        await this.db.query('DELETE FROM account_attempts WHERE username_key = $1', [reservation.username_key]);
      }
      return true;
    });
  }

  async release(id: string): Promise<void> {
    await this.db.query('DELETE FROM attempt_reservations WHERE id = $1', [id]);
  }

  forgetAccount(usernameKey: string): Promise<void> {
    return this.db.transaction(async () => {
      await this.db.query('DELETE FROM account_attempts WHERE username_key = $1', [usernameKey]);
      await this.db.query('DELETE FROM attempt_reservations WHERE username_key = $1', [usernameKey]);
    });
  }

  async findAccount(usernameKey: string): Promise<AccountAttempts | null> {
    const { rows } = await this.db.query<AccountRow>(
      'SELECT consecutive_failures, locked_until FROM account_attempts WHERE username_key = $1',
      [usernameKey],
    );
    const row = rows[0];
    return row ? { consecutiveFailures: row.consecutive_failures, lockedUntil: Number(row.locked_until) } : null;
  }

  async sweep({ now, accountRetentionMs, addressWindowMs }: SweepRequest): Promise<number> {
    const deleted = await Promise.all([
      this.db.query('DELETE FROM attempt_reservations WHERE expires_at <= $1', [now]),
      // The same expression as the index account_attempts_by_activity.
      this.db.query('DELETE FROM account_attempts WHERE GREATEST(last_failure_at, locked_until) <= $1', [
        now - accountRetentionMs,
      ]),
      this.db.query('DELETE FROM address_attempts WHERE window_started_at <= $1', [now - addressWindowMs]),
    ]);
    return deleted.reduce((sum, result) => sum + (result.rowCount ?? 0), 0);
  }

  /**
   * Removes a stored reservation; what it was, or null when it was gone already. An unstored one
   * is held until its transaction ends.
   */
  private async take(held: HeldReservation): Promise<ReservationRow | null> {
    if (typeof held !== 'string') return unstoredReservationRow(held);
    const { rows } = await this.db.query<ReservationRow>(
      'DELETE FROM attempt_reservations WHERE id = $1 RETURNING username_key, address, expires_at',
      [held],
    );
    return rows[0] ?? null;
  }

  /**
   * Counts one failure on a counter row: the increment, else a new row if there is room, else
   * the increment again (another settle inserted the same row meanwhile); null when the table is
   * full and the row does not exist.
   */
  private async countOne<Row extends AccountRow | AddressRow>(
    increment: string,
    incrementValues: unknown[],
    insertIfRoom: string,
    insertValues: unknown[],
  ): Promise<Row | null> {
    const updated = await this.db.query<Row>(increment, incrementValues);
    if (updated.rows[0]) return updated.rows[0];
    const inserted = await this.db.query<Row>(insertIfRoom, insertValues);
    if (inserted.rows[0]) return inserted.rows[0];
    return (await this.db.query<Row>(increment, incrementValues)).rows[0] ?? null;
  }
}
