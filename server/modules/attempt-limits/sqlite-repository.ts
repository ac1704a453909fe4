import type { Database } from '../../db/database.js';
import type { AccountAttempts, AddressAttempts, AttemptLimitRepository } from './repository.js';

interface AccountRow {
  consecutive_failures: number;
  locked_until: number;
}
interface AddressRow {
  window_started_at: number;
  failures: number;
}

export class SqliteAttemptLimitRepository implements AttemptLimitRepository {
  private readonly selectAccount;
  private readonly incrementAccount;
  private readonly lockAccount;
  private readonly deleteAccount;
  private readonly selectAddress;
  private readonly incrementAddress;

  constructor(private readonly db: Database) {
    const c = db.connection;
    this.selectAccount = c.prepare<[string], AccountRow>(
      'SELECT consecutive_failures, locked_until FROM account_attempts WHERE username_key = ?',
    );
    this.incrementAccount = c.prepare<[{ key: string; now: number }], AccountRow>(
      `INSERT INTO account_attempts (username_key, consecutive_failures, locked_until, last_failure_at) VALUES (@key, 1, 0, @now)
       ON CONFLICT (username_key) DO UPDATE SET consecutive_failures = consecutive_failures + 1, last_failure_at = @now
       RETURNING consecutive_failures, locked_until`,
    );
    this.lockAccount = c.prepare('UPDATE account_attempts SET locked_until = ? WHERE username_key = ?');
    this.deleteAccount = c.prepare('DELETE FROM account_attempts WHERE username_key = ?');
    this.selectAddress = c.prepare<[string], AddressRow>(
      'SELECT window_started_at, failures FROM address_attempts WHERE address = ?',
    );
    this.incrementAddress = c.prepare<[{ address: string; now: number; windowMs: number }], AddressRow>(
      `INSERT INTO address_attempts (address, window_started_at, failures) VALUES (@address, @now, 1)
       ON CONFLICT (address) DO UPDATE SET
         failures = CASE WHEN window_started_at + @windowMs <= @now THEN 1 ELSE failures + 1 END,
         window_started_at = CASE WHEN window_started_at + @windowMs <= @now THEN @now ELSE window_started_at END
       RETURNING window_started_at, failures`,
    );
  }

  getAccount(usernameKey: string): Promise<AccountAttempts | null> {
    return this.db.run(() => {
      const row = this.selectAccount.get(usernameKey);
      return row ? { consecutiveFailures: row.consecutive_failures, lockedUntil: row.locked_until } : null;
    });
  }

  addAccountFailure(
    usernameKey: string,
    now: number,
    lockUntil: (failures: number) => number,
  ): Promise<AccountAttempts> {
    // One synchronous block: no other statement can run between the increment and the lock.
    return this.db.run(() => {
      const row = this.incrementAccount.get({ key: usernameKey, now })!;
      const lockedUntil = Math.max(row.locked_until, lockUntil(row.consecutive_failures));
      if (lockedUntil !== row.locked_until) this.lockAccount.run(lockedUntil, usernameKey);
      return { consecutiveFailures: row.consecutive_failures, lockedUntil };
    });
  }

  resetAccount(usernameKey: string): Promise<void> {
    return this.db.run(() => {
      this.deleteAccount.run(usernameKey);
    });
  }

  getAddress(address: string): Promise<AddressAttempts | null> {
    return this.db.run(() => {
      const row = this.selectAddress.get(address);
      return row ? { windowStartedAt: row.window_started_at, failures: row.failures } : null;
    });
  }

  addAddressFailure(address: string, now: number, windowMs: number): Promise<AddressAttempts> {
    return this.db.run(() => {
      const row = this.incrementAddress.get({ address, now, windowMs })!;
      return { windowStartedAt: row.window_started_at, failures: row.failures };
    });
  }
}
