/** A code's HMAC under one secret key, and that key's id (key-ring.ts). */
export interface KeyedCodeHash {
  keyId: string;
  codeHash: Buffer;
}

export interface BackupCodeRepository {
  /**
   * Replaces every code of the user with these hashes, all keyed by the key `keyId`, in one step:
   * no old code survives.
   */
  replaceAll(userId: number, codeHashes: Buffer[], keyId: string, now: number): Promise<void>;
  /**
   * Marks the code used if it exists and is unused; true for exactly one of any racing callers. The
   * code is given as its hash under each key the server holds: a stored code matches the hash
   * under the key it names (or any, for a code from before key ids).
   */
  consume(userId: number, candidates: readonly KeyedCodeHash[], now: number): Promise<boolean>;
  countRemaining(userId: number): Promise<number>;
  deleteAll(userId: number): Promise<void>;
}
