// The sessions row as both backends return it.
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
