// The sessions row as both backends return it, and joined with its account's.
import { toAccount, type Account } from '../accounts/index.js';
import type { SessionRecord } from './repository.js';

export interface SessionRow {
  token_hash: Buffer;
  user_id: number;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
}

export const toSession = (row: SessionRow): SessionRecord => ({
  tokenHash: row.token_hash,
  userId: row.user_id,
  createdAt: row.created_at,
  lastSeenAt: row.last_seen_at,
  expiresAt: row.expires_at,
});

/** The columns of a session and of its users row, as findWithAccount selects them. */
export interface SessionAccountRow extends SessionRow {
  username: string;
  username_key: string;
  password_hash: string;
  account_created_at: number;
}

export const toSessionWithAccount = (row: SessionAccountRow): { session: SessionRecord; account: Account } => ({
  session: toSession(row),
  account: toAccount({
    id: row.user_id,
    username: row.username,
    username_key: row.username_key,
    password_hash: row.password_hash,
    created_at: row.account_created_at,
  }),
});
