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
import type { Account, AccountService } from '../accounts/index.js';
import type { BackupCodeService } from '../backup-codes/index.js';
import type { SecurityEventLog, SecurityEventType } from '../security-events/index.js';
import { statusOf, type TwoFactorRepository } from './repository.js';

export type { SecondFactorMethod, TwoFactorStatus };

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
}

export interface FactorChanged<T> {
  result: T;
  /** Ten new backup codes when this change turned two-factor on, else null. */
  backupCodes: string[] | null;
  /** The account's two-factor state after the change. */
  twoFactor: TwoFactorStatus;
}

export class TwoFactorService {
  constructor(
    private readonly db: TransactionRunner,
    /**
     * The factors' state, read from their tables in one statement (repository.ts). Reading storage,
     * not the factors' services, keeps the wiring one way: they use this service, it needs none of them.
     */
    private readonly factors: TwoFactorRepository,
    private readonly backupCodes: BackupCodeService,
    private readonly accounts: AccountService,
    private readonly events: SecurityEventLog,
  ) {}

  async status(userId: number): Promise<TwoFactorStatus> {
    // A TOTP credential is on once enabled; before that it is a pending set-up (totp/repository.ts).
    return statusOf(await this.factors.counts(userId));
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
  async changeFactors<T>(account: Account, client: ClientInfo, change: FactorChange<T>): Promise<FactorChanged<T>> {
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
      return { result, backupCodes, twoFactor };
    });
  }

  /**
   * Ten new backup codes (password); every earlier code stops working. They exist only while
   * two-factor is on, so this is a change to the account's factors like any other: not while
   * another request turns the last factor off, or the codes would outlive it.
   */
  async replaceBackupCodes(account: Account, password: string, client: ClientInfo): Promise<string[]> {
    const changed = await this.changeFactors(account, client, {
      password,
      apply: async (before) => {
        if (!before.enabled) throw twoFactorOff();
        return this.backupCodes.regenerate(account.id);
      },
      event: 'backup_codes_generated',
    });
    return changed.result;
  }
}

function twoFactorOff(): ApiError {
  return new ApiError(409, 'two_factor_off');
}
