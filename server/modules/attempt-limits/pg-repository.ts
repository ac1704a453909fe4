// The current attempt-limit interface on PostgreSQL. Each change is one statement or one
// transaction that holds the counter's row lock from its increment to its lock time, so two
// failures counted at once on any number of instances both count, and the lock follows the count.
import type { PgDatabase } from '../../db/pg-database.js';
import type { AccountAttempts, AddressAttempts, AttemptLimitRepository } from './repository.js';
import type { AccountAttemptsRow as AccountRow, AddressAttemptsRow as AddressRow } from './rows.js';

export class PgAttemptLimitRepository implements AttemptLimitRepository {
  constructor(private readonly db: PgDatabase) {}

  async getAccount(usernameKey: string): Promise<AccountAttempts | null> {
    const { rows } = await this.db.query<AccountRow>(
      'SELECT consecutive_failures, locked_until FROM account_attempts WHERE username_key = $1',
      [usernameKey],
    );
    return rows[0] ? { consecutiveFailures: rows[0].consecutive_failures, lockedUntil: rows[0].locked_until } : null;
  }

  addAccountFailure(
    usernameKey: string,
    now: number,
    lockUntil: (failures: number) => number,
  ): Promise<AccountAttempts> {
    // The upsert locks the row until this transaction ends: no other failure can slip in between
    // the increment and the lock that `lockUntil` computes for it.
    return this.db.transaction(async () => {
      const { rows } = await this.db.query<AccountRow>(
        `INSERT INTO account_attempts (username_key, consecutive_failures, locked_until, last_failure_at)
         VALUES ($1, 1, 0, $2)
         ON CONFLICT (username_key) DO UPDATE SET
           consecutive_failures = account_attempts.consecutive_failures + 1, last_failure_at = $2
         RETURNING consecutive_failures, locked_until`,
        [usernameKey, now],
      );
      const row = rows[0]!;
      const lockedUntil = Math.max(row.locked_until, lockUntil(row.consecutive_failures));
      if (lockedUntil !== row.locked_until) {
        await this.db.query('UPDATE account_attempts SET locked_until = $1 WHERE username_key = $2', [
          lockedUntil,
          usernameKey,
        ]);
      }
      return { consecutiveFailures: row.consecutive_failures, lockedUntil };
    });
  }

  async resetAccount(usernameKey: string): Promise<void> {
    await this.db.query('DELETE FROM account_attempts WHERE username_key = $1', [usernameKey]);
  }

  async getAddress(address: string): Promise<AddressAttempts | null> {
    const { rows } = await this.db.query<AddressRow>(
      'SELECT window_started_at, failures FROM address_attempts WHERE address = $1',
      [address],
    );
    return rows[0] ? { windowStartedAt: rows[0].window_started_at, failures: rows[0].failures } : null;
  }

  async addAddressFailure(address: string, now: number, windowMs: number): Promise<AddressAttempts> {
    const { rows } = await this.db.query<AddressRow>(
      `INSERT INTO address_attempts (address, window_started_at, failures) VALUES ($1, $2, 1)
       ON CONFLICT (address) DO UPDATE SET
         failures = CASE WHEN address_attempts.window_started_at + $3 <= $2 THEN 1 ELSE address_attempts.failures + 1 END,
         window_started_at = CASE WHEN address_attempts.window_started_at + $3 <= $2 THEN $2 ELSE address_attempts.window_started_at END
       RETURNING window_started_at, failures`,
      [address, now, windowMs],
    );
    return { windowStartedAt: rows[0]!.window_started_at, failures: rows[0]!.failures };
  }
}
