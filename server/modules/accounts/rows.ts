// The users row as both backends return it, and the Account it stands for.
import type { Account, AccountProfile } from './repository.js';

export interface AccountRow {
  id: number;
  username: string;
  username_key: string;
  password_hash: string;
  created_at: number;
}

export const toAccount = (row: AccountRow): Account => ({
  id: row.id,
  username: row.username,
  usernameKey: row.username_key,
  passwordHash: row.password_hash,
  createdAt: row.created_at,
});

/** The users columns of an AccountProfile, for the reads that must not fetch the hash. */
export const PROFILE_COLUMNS = 'id, username, username_key, created_at';

/** The users row as those reads return it. */
export type AccountProfileRow = Omit<AccountRow, 'password_hash'>;

export const toAccountProfile = (row: AccountProfileRow): AccountProfile => ({
  id: row.id,
  username: row.username,
  usernameKey: row.username_key,
  createdAt: row.created_at,
});
