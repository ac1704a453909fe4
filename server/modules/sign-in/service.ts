// Sign-in, in the fixed order Authelia keeps: parse → limit → verify → replay check → rotate
// session → record event. A correct password with two-factor on earns a ticket; the ticket and
// one second factor earn the session.
import type { TransactionRunner } from '../../db/transaction-runner.js';
import { hashToken, isWellFormedToken, newToken } from '../../crypto/tokens.js';
import { errors } from '../../http/api-error.js';
import type { ClientInfo } from '../../http/client-info.js';
import type { Clock } from '../../platform/clock.js';
import type { Random } from '../../platform/random.js';
import { checkPassword } from '../accounts/password-policy.js';
import type { PasswordHasher } from '../accounts/password-hasher.js';
import type { Account } from '../accounts/repository.js';
import type { AccountService } from '../accounts/service.js';
import { usernameKey } from '../accounts/username.js';
import type { AttemptLimiter } from '../attempt-limits/service.js';
import type { SecurityEventLog } from '../security-events/service.js';
import type { SecurityEventType } from '../security-events/repository.js';
import type { SessionManager } from '../sessions/service.js';
import type { SecondFactorMethod, TwoFactorService } from '../two-factor/service.js';
import type { TicketRepository } from './ticket-repository.js';

export type PasswordSignInResult =
  | { status: 'signed_in'; account: Account; sessionToken: string }
  | { status: 'second_factor_required'; ticket: string; methods: SecondFactorMethod[]; expiresAt: number };

export interface SignedIn {
  account: Account;
  sessionToken: string;
}

/**
 * One second factor, checked inside the sign-in transaction. It returns false for a wrong or
 * replayed credential; any single-use state it spends is rolled back if the sign-in fails.
 */
export type SecondFactorCheck = (account: Account) => Promise<boolean>;

export interface SignInLimits {
  ticketLifetimeSeconds: number;
  ticketMaxFailures: number;
}

export class SignInService {
  constructor(
    private readonly db: TransactionRunner,
    private readonly accounts: AccountService,
    private readonly hasher: PasswordHasher,
    private readonly limiter: AttemptLimiter,
    private readonly tickets: TicketRepository,
    private readonly sessions: SessionManager,
    private readonly twoFactor: TwoFactorService,
    private readonly events: SecurityEventLog,
    private readonly limits: SignInLimits,
    private readonly clock: Clock,
    private readonly random: Random,
  ) {}

  async withPassword(username: string, password: string, client: ClientInfo): Promise<PasswordSignInResult> {
    // parse
    const key = usernameKey(username);
    const checked = checkPassword(password);
    const account = await this.limiter.serialize(key, async () => {
      // limit
      await this.limiter.assertAllowed(key, client);
      // verify: an unknown user costs one hash too, so time does not tell who exists (API.md).
      // A password outside 8–128 characters is never hashed, for anyone.
      const found = await this.accounts.findByUsername(username);
      let valid = false;
      if (checked.ok && found) valid = await this.hasher.verify(found.passwordHash, checked.normalized);
      else if (checked.ok) await this.hasher.verifyDummy(checked.normalized);
      if (!valid || !found) {
        await this.recordFailure(key, found, client, 'sign_in_failed');
        throw errors.invalidCredentials();
      }
      return found;
    });
    const status = await this.twoFactor.status(account.id);
    if (status.enabled) return this.issueTicket(account);
    // rotate session → record event
    const sessionToken = await this.db.transaction(async () => {
      const token = await this.sessions.create(account.id);
      await this.limiter.recordSuccess(account.usernameKey);
      await this.events.record(account.id, 'signed_in', client);
      return token;
    });
    return { status: 'signed_in', account, sessionToken };
  }

  /**
   * Completes a ticket with one second factor. Everything from the ticket lookup to the new
   * session is one transaction: a spent code and a consumed ticket happen together or not at all.
   */
  async withSecondFactor(
    ticket: string,
    client: ClientInfo,
    check: SecondFactorCheck,
    extraEvent?: SecurityEventType,
  ): Promise<SignedIn> {
    // parse
    if (!isWellFormedToken(ticket)) throw errors.invalidTicket();
    const ticketHash = hashToken(ticket);
    const { ticketMaxFailures } = this.limits;
    // One limit → verify → record sequence per account at a time, password checks included: a
    // password check in flight (tens of milliseconds of hashing) must not miss failures that
    // codes add meanwhile, or a mixed burst would get one guess past the lockout threshold.
    const claimed = await this.tickets.findLive(ticketHash, this.clock.now(), ticketMaxFailures);
    const claimedAccount = claimed ? await this.accounts.findById(claimed.userId) : null;
    if (!claimedAccount) throw errors.invalidTicket();
    const outcome = await this.limiter.serialize(claimedAccount.usernameKey, () =>
      this.db.transaction(async () => {
        const now = this.clock.now();
        const live = await this.tickets.findLive(ticketHash, now, ticketMaxFailures);
        const account = live ? await this.accounts.findById(live.userId) : null;
        if (!account) throw errors.invalidTicket();
        // limit
        await this.limiter.assertAllowed(account.usernameKey, client);
        // verify + replay check (inside `check`, by conditional updates)
        if (!(await check(account))) {
          // Counted in the same transaction as the check, so parallel guesses see each other's
          // failures: no burst of simultaneous requests gets past the lockout threshold.
          await this.tickets.addFailure(ticketHash, ticketMaxFailures);
          await this.recordFailure(account.usernameKey, account, client, 'second_factor_failed');
          return { signedIn: false as const };
        }
        // rotate session: the ticket ends with the sign-in it made
        if (!(await this.tickets.consume(ticketHash, now, ticketMaxFailures))) throw errors.invalidTicket();
        const sessionToken = await this.sessions.create(account.id);
        await this.limiter.recordSuccess(account.usernameKey);
        // record event
        if (extraEvent) await this.events.record(account.id, extraEvent, client);
        await this.events.record(account.id, 'signed_in', client);
        return { account, signedIn: true as const, sessionToken };
      }),
    );
    if (!outcome.signedIn) throw errors.invalidCode();
    return { account: outcome.account, sessionToken: outcome.sessionToken };
  }

  /** The account a live ticket belongs to, for endpoints that only read (security-key options). */
  async ticketAccount(ticket: string): Promise<Account> {
    if (!isWellFormedToken(ticket)) throw errors.invalidTicket();
    const live = await this.tickets.findLive(hashToken(ticket), this.clock.now(), this.limits.ticketMaxFailures);
    const account = live ? await this.accounts.findById(live.userId) : null;
    if (!account) throw errors.invalidTicket();
    return account;
  }

  sweepExpired(): Promise<void> {
    return this.tickets.deleteExpired(this.clock.now());
  }

  private async issueTicket(account: Account): Promise<PasswordSignInResult> {
    const ticket = newToken(this.random);
    const now = this.clock.now();
    const expiresAt = now + this.limits.ticketLifetimeSeconds * 1000;
    await this.tickets.create({
      ticketHash: hashToken(ticket),
      userId: account.id,
      createdAt: now,
      expiresAt,
      failures: 0,
    });
    return { status: 'second_factor_required', ticket, methods: await this.twoFactor.methods(account.id), expiresAt };
  }

  /** One commit for the counters and the event, for known and unknown users alike. */
  private recordFailure(
    key: string,
    account: Account | null,
    client: ClientInfo,
    type: SecurityEventType,
  ): Promise<void> {
    return this.db.transaction(async () => {
      const outcome = await this.limiter.recordFailure(key, client);
      if (!account) return;
      await this.events.record(account.id, type, client);
      if (outcome.lockedNow) await this.events.record(account.id, 'locked_out', client);
    });
  }
}
