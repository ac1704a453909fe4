import type { SignInMethod } from '../../../contract/values.js';
import type { AccountProfile } from '../accounts/index.js';

export type { SignInMethod };

/** Where a session was signed in, as the server saw it then (docs/api.md "GET /api/v1/me/sessions"). */
export interface SessionOrigin {
  ip: string | null;
  userAgent: string | null;
  signInMethod: SignInMethod | null;
}

export interface SessionRecord extends SessionOrigin {
  tokenHash: Buffer;
  /** What the session list names it by: random, never the token (SECURITY.md "Sessions"). */
  publicId: string;
  userId: number;
  createdAt: number;
  lastSeenAt: number;
  /** Absolute end, however active the session is. */
  expiresAt: number;
}

/** What deciding whether a session may still authenticate needs of it (SessionManager.authenticate). */
export type SessionValidity = Pick<SessionRecord, 'userId' | 'lastSeenAt' | 'expiresAt'>;

export interface SessionRepository {
  create(session: SessionRecord): Promise<void>;
  /**
   * The session and the account it belongs to, in one statement: every authenticated request
   * starts here (docs/performance.md), so it reads only what that needs. Null when no session has
   * this token hash.
   */
  findWithAccount(tokenHash: Buffer): Promise<{ session: SessionValidity; account: AccountProfile } | null>;
  /** The account's sessions that have not ended by `now` or gone idle since `idleSince`, newest first. */
  listLive(userId: number, now: number, idleSince: number): Promise<SessionRecord[]>;
  /**
   * Moves last_seen_at forward to `now`, only while the session is live: not past its absolute
   * end, and not idle since `idleSince` or before. One conditional UPDATE, so a touch never brings
   * back a session that another request or server process ended (signed out, swept, idle), nor
   * moves the time back (two processes touching at once).
   */
  touch(tokenHash: Buffer, now: number, idleSince: number): Promise<void>;
  delete(tokenHash: Buffer): Promise<void>;
  /** Deletes the account's session with this public id; false when it has none by that id. */
  deleteByPublicId(userId: number, publicId: string): Promise<boolean>;
  /**
   * Deletes every session of the account but the one with `keep` (every one when null), and
   * returns how many live ones went (ended by `now` or idle since `idleSince` do not count).
   */
  deleteAllBut(userId: number, keep: Buffer | null, now: number, idleSince: number): Promise<number>;
  /** Removes sessions past their absolute end or idle since before `idleSince`. */
  deleteExpired(now: number, idleSince: number): Promise<number>;
}
