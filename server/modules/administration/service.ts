// What an IT helpdesk does for a person who cannot help themselves (docs/deployment.md "Helpdesk
// recovery"): see the accounts and their state, lift a sign-in pause, end every session, and take
// every second factor away from someone who lost them all. The administration commands
// (server/admin/) call these, on the server's own storage while it runs. Each change is one
// transaction with its event, recorded without an address or browser and named as done by an
// administrator, so the person sees it in their activity list.
import type { TransactionRunner } from '../../db/transaction-runner.js';
import type { Clock } from '../../platform/clock.js';
import type { Account, AccountService } from '../accounts/index.js';
import type { AttemptLimiter } from '../attempt-limits/index.js';
import type { SecurityEvent, SecurityEventLog } from '../security-events/index.js';
import type { SessionManager } from '../sessions/index.js';
import type { SignInService } from '../sign-in/index.js';
import type { TwoFactorService, TwoFactorStatus } from '../two-factor/index.js';

/** How many events `show` lists. */
const SHOWN_EVENTS = 10;

export interface AccountOverview {
  username: string;
  createdAt: number;
  twoFactor: TwoFactorStatus;
  consecutiveFailures: number;
  /** Until when sign-in is paused; null when it is not. */
  lockedUntil: number | null;
}

export interface AccountDetails extends AccountOverview {
  sessions: number;
  events: SecurityEvent[];
}

export class AdministrationService {
  constructor(
    private readonly db: TransactionRunner,
    private readonly accounts: AccountService,
    private readonly limiter: AttemptLimiter,
    private readonly twoFactor: TwoFactorService,
    private readonly sessions: SessionManager,
    private readonly signIn: SignInService,
    private readonly events: SecurityEventLog,
    private readonly clock: Clock,
  ) {}

  /** Null for a name no account has (looked up as sign-in does: case and width do not matter). */
  findAccount(username: string): Promise<Account | null> {
    return this.accounts.findByUsername(username);
  }

  async list(): Promise<AccountOverview[]> {
    const accounts = await this.accounts.listAll();
    return Promise.all(accounts.map((account) => this.overview(account)));
  }

  async show(account: Account): Promise<AccountDetails> {
    const [overview, sessions, events] = await Promise.all([
      this.overview(account),
      this.sessions.countLive(account.id),
      this.events.list(account.id),
    ]);
    return { ...overview, sessions, events: events.slice(0, SHOWN_EVENTS) };
  }

  /** Clears the failure count and any pause; what the count was. */
  async unlock(account: Account): Promise<AccountOverview> {
    const before = await this.overview(account);
    await this.db.transaction(async () => {
      await this.limiter.forget(account.usernameKey);
      await this.events.record(account.id, 'account_unlocked_by_admin', null);
    });
    return before;
  }

  /** Ends every session of the account; how many ended. */
  endSessions(account: Account): Promise<number> {
    return this.db.transaction(async () => {
      const ended = await this.sessions.endAllBut(account.id, null);
      await this.events.record(account.id, 'sessions_ended_by_admin', null);
      return ended;
    });
  }

  /**
   * For the person who lost every factor, once the helpdesk has checked who they are outside
   * Latchkey: authenticator-app codes off, every security key and backup code gone, every session
   * and every sign-in waiting for its second factor ended. The password stays: with it alone the
   * person signs in and sets two-factor up again. How many sessions ended.
   */
  resetTwoFactor(account: Account): Promise<number> {
    return this.db.transaction(async () => {
      await this.twoFactor.removeAllFactors(account.id);
      const ended = await this.sessions.endAllBut(account.id, null);
      await this.signIn.endPendingSignIns(account.id);
      await this.events.record(account.id, 'two_factor_reset_by_admin', null);
      return ended;
    });
  }

  private async overview(account: Account): Promise<AccountOverview> {
    const [twoFactor, attempts] = await Promise.all([
      this.twoFactor.status(account.id),
      this.limiter.accountState(account.usernameKey),
    ]);
    return {
      username: account.username,
      createdAt: account.createdAt,
      twoFactor,
      consecutiveFailures: attempts.consecutiveFailures,
      lockedUntil: attempts.lockedUntil > this.clock.now() ? attempts.lockedUntil : null,
    };
  }
}
