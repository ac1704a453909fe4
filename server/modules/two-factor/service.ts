// docs/api.md "Two-factor": two-factor is on for an account while it has authenticator-app codes
// (TOTP) enabled or at least one security key, and backup codes exist exactly while two-factor is
// on. This module keeps that rule in one place.
import type { TwoFactorStatus } from '../../../contract/api/schema.js';
import type { SecondFactorMethod } from '../../../contract/values.js';
import type { BackupCodeService } from '../backup-codes/service.js';
import type { TotpService } from '../totp/service.js';

export type { SecondFactorMethod, TwoFactorStatus };

/** How many security keys a user has; the security-keys module provides it. */
export interface SecurityKeyCounter {
  count(userId: number): Promise<number>;
}

export const noSecurityKeys: SecurityKeyCounter = { count: async () => 0 };

export class TwoFactorService {
  constructor(
    private readonly totp: TotpService,
    private readonly backupCodes: BackupCodeService,
    private securityKeys: SecurityKeyCounter = noSecurityKeys,
  ) {}

  useSecurityKeys(counter: SecurityKeyCounter): void {
    this.securityKeys = counter;
  }

  async status(userId: number): Promise<TwoFactorStatus> {
    const [totp, securityKeys, backupCodesRemaining] = await Promise.all([
      this.totp.isEnabled(userId),
      this.securityKeys.count(userId),
      this.backupCodes.remaining(userId),
    ]);
    return { enabled: totp || securityKeys > 0, totp, securityKeys, backupCodesRemaining };
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
   * Call inside the transaction that adds a factor, with the status read before it (after
   * `lockAccount`, so no other change to the account's factors slips in between): the first
   * factor brings ten backup codes, later ones none.
   */
  async afterFactorAdded(userId: number, before: TwoFactorStatus): Promise<string[] | null> {
    return before.enabled ? null : this.backupCodes.regenerate(userId);
  }

  /**
   * Call inside the transaction that removed a factor, after `lockAccount`: with none left, the
   * backup codes go too.
   */
  async afterFactorRemoved(userId: number): Promise<void> {
    const status = await this.status(userId);
    if (!status.enabled) await this.backupCodes.clear(userId);
  }
}
