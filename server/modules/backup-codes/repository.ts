export interface BackupCodeRepository {
  /** Replaces every code of the user with these hashes, in one step: no old code survives. */
  replaceAll(userId: number, codeHashes: Buffer[], now: number): Promise<void>;
  /** Marks the code used if it exists and is unused; true for exactly one of any racing callers. */
  consume(userId: number, codeHash: Buffer, now: number): Promise<boolean>;
  countRemaining(userId: number): Promise<number>;
  deleteAll(userId: number): Promise<void>;
}
