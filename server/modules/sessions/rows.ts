// The sessions row as both backends return it.
import type { SessionRecord, SignInMethod } from './repository.js';

export interface SessionRow {
  token_hash: Buffer;
  public_id: string;
  user_id: number;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
  ip: string | null;
  user_agent: string | null;
  sign_in_method: string | null;
}

export const toSession = (row: SessionRow): SessionRecord => ({
  tokenHash: row.token_hash,
  publicId: row.public_id,
  userId: Number(row.user_id),
  createdAt: Number(row.created_at),
  lastSeenAt: Number(row.last_seen_at),
  expiresAt: Number(row.expires_at),
  ip: row.ip,
  userAgent: row.user_agent,
  signInMethod: row.sign_in_method as SignInMethod | null,
});

/** The columns an INSERT writes, in the order both repositories bind them. */
export const SESSION_COLUMNS =
  'token_hash, public_id, user_id, created_at, last_seen_at, expires_at, ip, user_agent, sign_in_method';

export const sessionValues = (session: SessionRecord): unknown[] => [
  session.tokenHash,
  session.publicId,
  session.userId,
  session.createdAt,
  session.lastSeenAt,
  session.expiresAt,
  session.ip,
  session.userAgent,
  session.signInMethod,
];
