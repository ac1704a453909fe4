import type { TwoFactorStatus } from '../../../contract/api/schema.js';

/**
 * An account's second factors as GET /api/v1/me and every sign-in need them: whether TOTP is on
 * (enabled, not a pending set-up), how many security keys, how many unused backup codes. One
 * statement over the three factors' tables rather than one read each: it is on the path of every
 * /me and every sign-in (docs/performance.md).
 */
export interface FactorCounts {
  totp: boolean;
  securityKeys: number;
  backupCodesRemaining: number;
}

export interface TwoFactorRepository {
  counts(userId: number): Promise<FactorCounts>;
}

/** docs/api.md "Two-factor": on while TOTP is enabled or a security key is registered. */
export function statusOf(counts: FactorCounts): TwoFactorStatus {
  return { enabled: counts.totp || counts.securityKeys > 0, ...counts };
}
