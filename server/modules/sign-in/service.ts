// Sign-in, in the fixed order Authelia keeps: parse → limit → verify → replay check → rotate
// session → record event. A correct password with two-factor on earns a ticket; the ticket and
// one second factor earn the session.
import type { TransactionRunner } from '../../db/transaction-runner.js';
import { hashToken, isWellFormedToken, newToken } from '../../crypto/tokens.js';
import { errors } from '../../http/api-error.js';
import type { ClientInfo } from '../../http/client-info.js';
import type { Clock } from '../../platform/clock.js';
import type { Random } from '../../platform/random.js';
import {
  checkPassword,
  usernameKey,
  type Account,
  type AccountProfile,
  type AccountService,
  type PasswordHasher,
} from '../accounts/index.js';
import type { AttemptLimiter, Reservation } from '../attempt-limits/index.js';
import type { BackupCodeService } from '../backup-codes/index.js';
import type { SecurityEventLog, SecurityEventType } from '../security-events/index.js';
import type { SessionManager, SignInMethod } from '../sessions/index.js';
import type { TotpService } from '../totp/index.js';
import type { SecondFactorMethod, TwoFactorService } from '../two-factor/index.js';
import { LIVE_TICKETS_PER_ACCOUNT, type TicketRepository } from './ticket-repository.js';

export type PasswordSignInResult =
  | { status: 'signed_in'; account: AccountProfile; sessionToken: string }
  | { status: 'second_factor_required'; ticket: string; methods: SecondFactorMethod[]; expiresAt: number };

export interface SignedIn {
  account: AccountProfile;
  sessionToken: string;
}

export interface SignedInWithBackupCode extends SignedIn {
  /** Unused backup codes left once this one is spent. */
  backupCodesRemaining: number;
}

/**
 * One second factor, checked inside the sign-in transaction. It returns false for a wrong or
 * replayed credential; any single-use state it spends is rolled back if the sign-in fails.
 */
export type SecondFactorCheck = (account: AccountProfile) => Promise<boolean>;

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
    private readonly totp: TotpService,
    private readonly backupCodes: BackupCodeService,
    private readonly events: SecurityEventLog,
    private readonly limits: SignInLimits,
    private readonly clock: Clock,
    private readonly random: Random,
  ) {}

  async withPassword(username: string, password: string, client: ClientInfo): Promise<PasswordSignInResult> {
    // parse
    const key = usernameKey(username);
    const checked = checkPassword(password);
    // limit: the judgement is reserved before the hash, for the name and the address
    return this.limiter.judge(key, client, async (reservation) => {
      // verify: an unknown user costs one hash too, so time does not tell who exists (docs/api.md
      // "Attempt limits"). A password outside 8–128 characters, or not well-formed, is never
      // hashed, for anyone.
      const account = await this.accounts.findByUsername(username);
      let valid = false;
      if (checked.ok && account) valid = await this.hasher.verify(account.passwordHash, checked.normalized);
      else if (checked.ok) await this.hasher.verifyDummy(checked.normalized);
      if (!valid || !account) {
        await this.recordFailure(reservation, account, client, 'sign_in_failed');
        throw errors.invalidCredentials();
      }
      return this.db.transaction(async (): Promise<PasswordSignInResult> => {
        // Whether a second factor is needed is read under the account's lock, in the transaction
        // that acts on it: a factor turned on a moment ago, by another request or another server
        // process, is seen, and one being turned on now waits for this sign-in to commit.
        await this.db.lockAccount(account.id);
        if ((await this.twoFactor.status(account.id)).enabled) {
          // A right password with two-factor on: the count stays until the second factor.
          await this.limiter.recordPass(reservation);
          return this.issueTicket(account);
        }
        // rotate session → record event
        await this.limiter.recordSuccess(reservation);
        const sessionToken = await this.sessions.create(account.id, client, 'password');
        await this.events.record(account.id, 'signed_in', client);
        return { status: 'signed_in', account, sessionToken };
      });
    });
  }

  /** Completes a ticket with a 6-digit authenticator-app code (withSecondFactor). */
  withTotp(ticket: string, code: string, client: ClientInfo): Promise<SignedIn> {
    return this.withSecondFactor(ticket, client, 'totp', (account) => this.totp.verify(account.id, code));
  }

  /** Completes a ticket with a single-use backup code (withSecondFactor); says how many are left. */
  async withBackupCode(ticket: string, code: string, client: ClientInfo): Promise<SignedInWithBackupCode> {
    const signedIn = await this.withSecondFactor(
      ticket,
      client,
      'backup_code',
      (account) => this.backupCodes.consume(account.id, code),
      'backup_code_used',
    );
    return { ...signedIn, backupCodesRemaining: await this.backupCodes.remaining(signedIn.account.id) };
  }

  /**
   * Completes a ticket with one second factor. Everything from the ticket lookup to the new
   * session is one transaction: a spent code and a consumed ticket happen together or not at all.
   */
  async withSecondFactor(
    ticket: string,
    client: ClientInfo,
    method: SignInMethod,
    check: SecondFactorCheck,
    extraEvent?: SecurityEventType,
  ): Promise<SignedIn> {
    // parse
    if (!isWellFormedToken(ticket)) throw errors.invalidTicket();
    const ticketHash = hashToken(ticket);
    const { ticketMaxFailures } = this.limits;
    const claimed = await this.tickets.findLive(ticketHash, this.clock.now(), ticketMaxFailures);
    const claimedAccount = claimed ? await this.accounts.findProfile(claimed.userId) : null;
    if (!claimedAccount) throw errors.invalidTicket();
    // limit: one judgement reserved for the account (password checks and codes share the count)
    // and the address, before anything is checked. No slow work follows (a code check, or one
    // WebAuthn verification, which ran inside the transaction already), so the judgement is made
    // inside the sign-in's own transaction, unstored: reserved, judged and settled in one durable
    // commit, without writing a reservation row it would delete again, and a refused or failed
    // judgement rolls back with it (docs/performance.md "Second-factor sign-in").
    const outcome = await this.db.transaction(() =>
      this.limiter.judgeInTransaction(claimedAccount.usernameKey, client, async (reservation) => {
        // The ticket's own limit: each code tried takes one of its attempts first, in one
        // conditional update, so parallel codes on one ticket cannot pass it either.
        const now = this.clock.now();
        const live = await this.tickets.takeAttempt(ticketHash, now, ticketMaxFailures);
        // The ticket still names the account read above (deleting an account deletes its tickets).
        if (!live || live.userId !== claimedAccount.id) throw errors.invalidTicket();
        const account = claimedAccount;
        // verify + replay check (inside `check`, by conditional updates)
        if (!(await check(account))) {
          await this.recordFailure(reservation, account, client, 'second_factor_failed');
          return { signedIn: false as const };
        }
        // rotate session: the ticket ends with the sign-in it made
        if (!(await this.tickets.consume(ticketHash, now))) throw errors.invalidTicket();
        await this.limiter.recordSuccess(reservation);
        const sessionToken = await this.sessions.create(account.id, client, method);
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
  async ticketAccount(ticket: string): Promise<AccountProfile> {
    if (!isWellFormedToken(ticket)) throw errors.invalidTicket();
    const live = await this.tickets.findLive(hashToken(ticket), this.clock.now(), this.limits.ticketMaxFailures);
    const account = live ? await this.accounts.findProfile(live.userId) : null;
    if (!account) throw errors.invalidTicket();
    return account;
  }

  sweepExpired(): Promise<number> {
    return this.tickets.deleteExpired(this.clock.now());
  }

  /**
   * Ends every sign-in of the account still waiting for its second factor: a ticket was earned
   * with the password as it was. Call inside the transaction of the change that makes it so.
   */
  async endPendingSignIns(userId: number): Promise<void> {
    await this.tickets.deleteForUser(userId);
  }

  private async issueTicket(account: Account): Promise<PasswordSignInResult> {
    const ticket = newToken(this.random);
    const now = this.clock.now();
    const expiresAt = now + this.limits.ticketLifetimeSeconds * 1000;
    await this.tickets.create(
      { ticketHash: hashToken(ticket), userId: account.id, createdAt: now, expiresAt, failures: 0 },
      LIVE_TICKETS_PER_ACCOUNT,
    );
    return { status: 'second_factor_required', ticket, methods: await this.twoFactor.methods(account.id), expiresAt };
  }

  /** One commit for the counters and the event, for known and unknown users alike. */
  private recordFailure(
    reservation: Reservation,
    account: AccountProfile | null,
    client: ClientInfo,
    type: SecurityEventType,
  ): Promise<void> {
    return this.db.transaction(async () => {
      const outcome = await this.limiter.recordFailure(reservation, { hasAccount: account !== null });
      if (!account) return;
      await this.events.record(account.id, type, client);
      if (outcome.lockedNow) await this.events.record(account.id, 'locked_out', client);
    });
  }
}
