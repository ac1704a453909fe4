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
  touch(tokenHash: Buffer, now: number): Promise<void>;
  delete(tokenHash: Buffer): Promise<void>;
  /** Removes sessions past their absolute end or idle since before `idleSince`. */
  deleteExpired(now: number, idleSince: number): Promise<number>;
}
