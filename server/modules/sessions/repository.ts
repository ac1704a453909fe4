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
  find(tokenHash: Buffer): Promise<SessionRecord | null>;
  /**
   * Moves last_seen_at forward to `now`, only while the session is live: not past its absolute
   * end, and not idle since `idleSince` or before. One conditional UPDATE, so a touch never brings
   * back a session that another request or server process ended (signed out, swept, idle), nor
   * moves the time back (two processes touching at once).
   */
  touch(tokenHash: Buffer, now: number, idleSince: number): Promise<void>;
  delete(tokenHash: Buffer): Promise<void>;
  /** Removes sessions past their absolute end or idle since before `idleSince`. */
  deleteExpired(now: number, idleSince: number): Promise<number>;
}
