import type { Sealed } from '../../crypto/secret-vault.js';

export interface TotpCredential {
  userId: number;
  /** AES-256-GCM box of the raw secret, the user id as associated data. */
  secretSealed: Buffer;
  /** The secret key that sealed it (key-ring.ts); null for a box from before key ids. */
  keyId: string | null;
  /** Null while the setup is pending. */
  enabledAt: number | null;
  setupExpiresAt: number | null;
  lastUsedStep: number;
  /** Codes tried against the pending set-up (0 once enabled or set up anew). */
  setupAttempts: number;
}

export interface TotpRepository {
  get(userId: number): Promise<TotpCredential | null>;
  /**
   * Stores a pending setup with no attempts, replacing an older pending one; false when TOTP is
   * already enabled.
   */
  savePending(userId: number, secret: Sealed, expiresAt: number): Promise<boolean>;
  /**
   * Takes one attempt at the pending setup before its code is checked: one conditional update that
   * adds one while the setup is pending, live and under `maxAttempts`, and returns the credential;
   * null when there is none. Atomic across server processes, so no burst checks more codes.
   */
  takeSetupAttempt(userId: number, now: number, maxAttempts: number): Promise<TotpCredential | null>;
  /** Deletes a pending setup (not an enabled one). */
  endPending(userId: number): Promise<void>;
  /** Turns a live pending setup on, recording `step` as used; false when there is none. */
  enable(userId: number, now: number, step: number): Promise<boolean>;
  /** RFC 6238 §5.2 replay check as one conditional update: true only if `step` is newer than the last accepted. */
  acceptStep(userId: number, step: number): Promise<boolean>;
  /** Removes the enabled credential; false when TOTP was not enabled. */
  deleteEnabled(userId: number): Promise<boolean>;
  /**
   * Replaces the box `from` with the same secret sealed under another key, if the row still holds
   * `from` (one conditional UPDATE: a set-up begun meanwhile is not overwritten); false if not.
   */
  reseal(userId: number, from: Buffer, to: Sealed): Promise<boolean>;
  /** One enabled credential whose box names no key (from before key ids), or null. */
  findUnlabeled(): Promise<TotpCredential | null>;
  /** Up to `limit` credentials, pending or enabled, not sealed under `keyId`, by user id after `afterUserId`. */
  listNotSealedUnder(keyId: string, afterUserId: number, limit: number): Promise<TotpCredential[]>;
}
