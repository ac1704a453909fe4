import type { Account } from '../accounts/index.js';

export interface SessionRecord {
  tokenHash: Buffer;
  userId: number;
  createdAt: number;
  lastSeenAt: number;
  /** Absolute end, however active the session is. */
  expiresAt: number;
}

export interface SessionRepository {
  create(session: SessionRecord): Promise<void>;
  /**
   * The session and the account it belongs to, in one statement: every authenticated request
   * starts here (docs/performance.md). Null when no session has this token hash.
   */
  findWithAccount(tokenHash: Buffer): Promise<{ session: SessionRecord; account: Account } | null>;
  touch(tokenHash: Buffer, now: number): Promise<void>;
  delete(tokenHash: Buffer): Promise<void>;
  /** Removes sessions past their absolute end or idle since before `idleSince`. */
  deleteExpired(now: number, idleSince: number): Promise<number>;
}
