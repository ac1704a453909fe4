// API.md "Attempt limits": per account, 5 consecutive failures lock sign-in for 1 minute and
// every further failure doubles the wait, up to 24 hours; per client address (loopback
// exempt), 300 failures in 15 minutes lock that address for the rest of the window.
import type { AttemptLimitConfig } from '../../config.js';
import { errors } from '../../http/api-error.js';
import type { ClientInfo } from '../../http/client-info.js';
import type { Clock } from '../../platform/clock.js';
import { KeyedMutex } from './keyed-mutex.js';
import type { AttemptLimitRepository } from './repository.js';

export interface FailureOutcome {
  /** This failure is the one that locked the account (for the `locked_out` event). */
  lockedNow: boolean;
}

export class AttemptLimiter {
  private readonly perAccount = new KeyedMutex();

  constructor(
    private readonly repository: AttemptLimitRepository,
    private readonly config: AttemptLimitConfig,
    private readonly clock: Clock,
  ) {}

  /**
   * Runs one limit → verify → record sequence for an account, after any other in flight for the
   * same account has recorded its outcome.
   */
  serialize<T>(usernameKey: string, work: () => Promise<T>): Promise<T> {
    return this.perAccount.run(usernameKey, work);
  }

  /** Throws 429 too_many_attempts while the account or the client address is locked. */
  async assertAllowed(usernameKey: string, client: ClientInfo): Promise<void> {
    const now = this.clock.now();
    const waits: number[] = [];
    if (!client.isLoopback) {
      const address = await this.repository.getAddress(client.ip);
      const windowEnds = address ? address.windowStartedAt + this.config.addressWindowSeconds * 1000 : 0;
      if (address && address.failures >= this.config.addressMaxFailures && windowEnds > now)
        waits.push(windowEnds - now);
    }
    const account = await this.repository.getAccount(usernameKey);
    if (account && account.lockedUntil > now) waits.push(account.lockedUntil - now);
    if (waits.length > 0) throw errors.tooManyAttempts(Math.ceil(Math.max(...waits) / 1000));
  }

  async recordFailure(usernameKey: string, client: ClientInfo): Promise<FailureOutcome> {
    const now = this.clock.now();
    if (!client.isLoopback) {
      await this.repository.addAddressFailure(client.ip, now, this.config.addressWindowSeconds * 1000);
    }
    const before = await this.repository.getAccount(usernameKey);
    const after = await this.repository.addAccountFailure(usernameKey, now, (failures) =>
      this.lockUntil(failures, now),
    );
    const wasLocked = before !== null && before.lockedUntil > now;
    return { lockedNow: !wasLocked && after.lockedUntil > now };
  }

  async recordSuccess(usernameKey: string): Promise<void> {
    await this.repository.resetAccount(usernameKey);
  }

  private lockUntil(failures: number, now: number): number {
    const { accountThreshold, accountBaseLockSeconds, accountMaxLockSeconds } = this.config;
    if (failures < accountThreshold) return 0;
    const doublings = Math.min(failures - accountThreshold, 30);
    const seconds = Math.min(accountBaseLockSeconds * 2 ** doublings, accountMaxLockSeconds);
    return now + seconds * 1000;
  }
}
