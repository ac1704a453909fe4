// Which secret keys the stored secrets need (SECURITY.md "The secret key"): every enabled TOTP
// secret and every unused backup code names the key that sealed or keyed it.

/** What one key id holds. */
export interface KeyUse {
  /** null: rows from before key ids were stored. */
  keyId: string | null;
  /** Enabled TOTP secrets sealed under it. */
  totpSecrets: number;
  /** Accounts with unused backup codes keyed by it. */
  backupCodeAccounts: number;
}

export interface SecretKeyUseRepository {
  /**
   * The key ids that an enabled TOTP secret or an unused backup code names (never null), read one
   * index step per key id: cheap at every start, however many rows there are.
   */
  keyIdsInUse(): Promise<string[]>;
  /**
   * Gives the enabled TOTP secrets and unused backup codes that name no key the id `keyId`; how
   * many rows. Only right while one key has sealed everything that names none.
   */
  labelUnlabeled(keyId: string): Promise<number>;
  /** Per key id, null included, what it holds: a full read of both tables, for the admin commands. */
  usage(): Promise<KeyUse[]>;
}
