// The sessions row as both backends return it, and joined with its account's.
import { toAccountProfile, type AccountProfile, type AccountProfileRow } from '../accounts/index.js';
import type { SessionRecord, SessionValidity, SignInMethod } from './repository.js';

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

/**
 * What every authenticated request reads, in one statement, for findWithAccount: whether the
 * session may still authenticate, and its account without the password hash (AccountProfile).
 * Nothing else: each column read is decoded and copied on every request (docs/performance.md
 * "CPU profiles"), and the session's origin and the hash have no use there. `tokenHash` is the
 * backend's placeholder for the token hash, typed: SQLite's is `CAST(? AS BLOB)`. With an untyped
 * `?` beside the join's `u.id = s.user_id`, SQLite's constant propagation makes the plan depend on
 * the bound value, so the statement is prepared again on every run (and better-sqlite3 compiles a
 * new row builder each time): about 20 µs a lookup instead of 5 (docs/performance.md "CPU profiles").
 */
export const sessionWithAccountQuery = (tokenHash: string): string =>
  `SELECT s.user_id, s.last_seen_at, s.expires_at, u.username, u.username_key, u.created_at
   FROM sessions AS s JOIN users AS u ON u.id = s.user_id
   WHERE s.token_hash = ${tokenHash}`;

/** The columns sessionWithAccountQuery selects: the session's validity, its account's profile. */
export type SessionAccountRow = Pick<SessionRow, 'user_id' | 'last_seen_at' | 'expires_at'> &
  Omit<AccountProfileRow, 'id'>;

export const toSessionWithAccount = (row: SessionAccountRow): { session: SessionValidity; account: AccountProfile } => {
  const userId = Number(row.user_id);
  return {
    session: { userId, lastSeenAt: Number(row.last_seen_at), expiresAt: Number(row.expires_at) },
    account: toAccountProfile({
      id: userId,
      username: row.username,
      username_key: row.username_key,
      created_at: Number(row.created_at),
    }),
  };
};
