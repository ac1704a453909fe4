// docs/api.md "Two-factor": two-factor is on for an account while it has authenticator-app codes
// (TOTP) enabled or at least one security key, and backup codes exist exactly while two-factor is
// on. This module keeps that rule in one place: it reads the state from each factor's storage, and
// every change to an account's factors goes through changeFactors(), which keeps the backup codes
// in step.
import type { TwoFactorStatus } from '../../../contract/api/schema.js';
import type { SecondFactorMethod } from '../../../contract/values.js';
import type { TransactionRunner } from '../../db/transaction-runner.js';
import { ApiError } from '../../http/api-error.js';
import type { ClientInfo } from '../../http/client-info.js';
import type { AccountProfile, AccountService } from '../accounts/index.js';
import type { BackupCodeService } from '../backup-codes/index.js';
import type { SecurityEventLog, SecurityEventType } from '../security-events/index.js';
import type { SecurityKeyRepository } from '../security-keys/index.js';
import type { AuthenticatedSession, SessionManager } from '../sessions/index.js';
import type { TotpRepository } from '../totp/index.js';
import { statusOf, type TwoFactorRepository } from './repository.js';

export type { SecondFactorMethod, TwoFactorStatus };

/**
 * What two-factor state is read from and removed in: the storage of the factors, as the
 * composition root (services.ts) hands it over. Reading the repositories, not the factors'
 * services, keeps the wiring one way: the factors' services use this one, and it needs none of them.
 */
export interface FactorStorage {
  /** Every factor's state in one statement (repository.ts): on the path of every /me and sign-in. */
  twoFactor: TwoFactorRepository;
  totp: Pick<TotpRepository, 'deleteEnabled' | 'endPending'>;
  securityKeys: Pick<SecurityKeyRepository, 'listForUser' | 'remove'>;
}

/** One change to an account's second factors, for changeFactors(). */
export interface FactorChange<T> {
  /** verify: when given, the password is confirmed again first (a sensitive change, SECURITY.md "Threat model"). */
  password?: string;
  /**
   * change: runs under the account's lock, given the two-factor state read just before it.
   * Throwing rolls the whole change back; a result may also say that nothing changed (a wrong code).
   */
  apply(before: TwoFactorStatus): Promise<T>;
  /** record event: what happened, committed with the change. */
  event: SecurityEventType | ((result: T) => SecurityEventType);
  /**
   * "Sign out everywhere else" in the same step (docs/api.md "Signing out everywhere else"): when
   * chosen, every session of the account but the asking one ends in the change's transaction.
   */
  signOutOthers?: SignOutOthers;
}

export interface FactorChanged<T> {
  result: T;
  /** Ten new backup codes when this change turned two-factor on, else null. */
  backupCodes: string[] | null;
  /** The account's two-factor state after the change. */
  twoFactor: TwoFactorStatus;
  /** How many other sessions ended, when the change asked for it (signOutOthers); else null. */
  otherSessionsEnded: number | null;
}

/** The person's choice, in the dialogs that confirm a change: sign out everywhere else too. */
export interface SignOutOthers {
  session: AuthenticatedSession;
  signOutOtherSessions: boolean;
}

export class TwoFactorService {
  constructor(
    private readonly db: TransactionRunner,
    private readonly factors: FactorStorage,
    private readonly backupCodes: BackupCodeService,
    private readonly accounts: AccountService,
    private readonly sessions: SessionManager,
    private readonly events: SecurityEventLog,
  ) {}

  async status(userId: number): Promise<TwoFactorStatus> {
    // A TOTP credential is on once enabled; before that it is a pending set-up (totp/repository.ts).
    return statusOf(await this.factors.twoFactor.counts(userId));
  }

  /** What a `second_factor_required` answer lists; empty when two-factor is off. */
  async methods(userId: number): Promise<SecondFactorMethod[]> {
    const status = await this.status(userId);
    const methods: SecondFactorMethod[] = [];
    if (status.totp) methods.push('totp');
    if (status.securityKeys > 0) methods.push('security_key');
    if (status.enabled && status.backupCodesRemaining > 0) methods.push('backup_code');
    return methods;
  }

  /**
   * Every change to an account's second factors, in one order: verify (the password, when the
   * change asks for it) → change → record event. The change, the backup codes that go with it and
   * the events commit together, under the account's lock, so no other change to its factors slips
   * in between the state read before and the write: the first factor brings ten backup codes, the
   * last one takes them away.
   */
  async changeFactors<T>(
    account: AccountProfile,
    client: ClientInfo,
    change: FactorChange<T>,
  ): Promise<FactorChanged<T>> {
    // verify
    if (change.password !== undefined) await this.accounts.reauthenticate(account, change.password, client);
    return this.db.transaction(async () => {
      await this.db.lockAccount(account.id);
      const before = await this.status(account.id);
      // change
      const result = await change.apply(before);
      let twoFactor = await this.status(account.id);
      let backupCodes: string[] | null = null;
      if (!before.enabled && twoFactor.enabled) {
        backupCodes = await this.backupCodes.regenerate(account.id);
        twoFactor = { ...twoFactor, backupCodesRemaining: backupCodes.length };
      } else if (before.enabled && !twoFactor.enabled) {
        await this.backupCodes.clear(account.id);
        twoFactor = { ...twoFactor, backupCodesRemaining: 0 };
      }
      // record event
      const event = typeof change.event === 'function' ? change.event(result) : change.event;
      await this.events.record(account.id, event, client);
      if (backupCodes) await this.events.record(account.id, 'backup_codes_generated', client);
      const choice = change.signOutOthers;
      const otherSessionsEnded = choice?.signOutOtherSessions
        ? await this.sessions.endOthers(choice.session, client)
        : null;
      return { result, backupCodes, twoFactor, otherSessionsEnded };
    });
  }

  /**
   * Takes every second factor away: authenticator-app codes (on or in set-up), every security key
   * and the backup codes, under the account's lock. Records nothing: the caller (an administrator's
   * reset, docs/deployment.md "Helpdesk recovery") records why, in the same transaction, which it
   * must have open.
   */
  async removeAllFactors(userId: number): Promise<void> {
    await this.db.lockAccount(userId);
    await this.factors.totp.deleteEnabled(userId);
    await this.factors.totp.endPending(userId);
    for (const key of await this.factors.securityKeys.listForUser(userId)) {
      await this.factors.securityKeys.remove(userId, key.id);
    }
    await this.backupCodes.clear(userId);
  }

  /**
   * Ten new backup codes (password); every earlier code stops working. They exist only while
   * two-factor is on, so this is a change to the account's factors like any other: not while
   * another request turns the last factor off, or the codes would outlive it.
   */
  async replaceBackupCodes(
    password: string,
    client: ClientInfo,
    choice: SignOutOthers,
  ): Promise<{ backupCodes: string[]; otherSessionsEnded: number | null }> {
    const { account } = choice.session;
    const changed = await this.changeFactors(account, client, {
      password,
      apply: async (before) => {
        if (!before.enabled) throw twoFactorOff();
        return this.backupCodes.regenerate(account.id);
      },
      event: 'backup_codes_generated',
      signOutOthers: choice,
    });
    return { backupCodes: changed.result, otherSessionsEnded: changed.otherSessionsEnded };
  }
}

function twoFactorOff(): ApiError {
  return new ApiError(409, 'two_factor_off');
}
