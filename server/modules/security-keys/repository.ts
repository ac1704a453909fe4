export type { SecurityKeyType } from '../../../contract/values.js';
import type { SecurityKeyType } from '../../../contract/values.js';

/** A registered WebAuthn credential, as stored. */
export interface SecurityKey {
  id: number;
  userId: number;
  /** base64url */
  credentialId: string;
  /** COSE_Key bytes */
  publicKey: Uint8Array;
  counter: number;
  transports: string[];
  aaguid: string;
  backupEligible: boolean;
  backupState: boolean;
  type: SecurityKeyType;
  name: string;
  passkeyCapable: boolean;
  createdAt: number;
  lastUsedAt: number | null;
}

export type NewSecurityKey = Omit<SecurityKey, 'id' | 'lastUsedAt'>;

export interface SecurityKeyUse {
  newCounter: number;
  backupState: boolean;
  usedAt: number;
}

export interface SecurityKeyRepository {
  /** Null when the credential id is already registered (to this or any account). */
  insert(key: NewSecurityKey): Promise<SecurityKey | null>;
  listForUser(userId: number): Promise<SecurityKey[]>;
  countForUser(userId: number): Promise<number>;
  findForUser(userId: number, id: number): Promise<SecurityKey | null>;
  findByCredentialId(credentialId: string): Promise<SecurityKey | null>;
  rename(userId: number, id: number, name: string): Promise<SecurityKey | null>;
  /** True when the key existed and belonged to the user. */
  remove(userId: number, id: number): Promise<boolean>;
  /**
   * Records a verified use. The UPDATE only applies while the stored counter is below the new one
   * (or both are zero: authenticators without a counter), so two racing assertions cannot both
   * move it; false means another use got there first.
   */
  recordUse(id: number, use: SecurityKeyUse): Promise<boolean>;
  /** The account's WebAuthn user handle, created on first use. */
  userHandle(userId: number, create: () => Buffer): Promise<Buffer>;
  findUserHandle(userId: number): Promise<Buffer | null>;
}

/** key_test: a signed-in person's test of one of their keys, bound to the account. */
export type ChallengePurpose = 'registration' | 'second_factor' | 'passkey' | 'key_test';

export interface StoredChallenge {
  challenge: string;
  purpose: ChallengePurpose;
  userId: number | null;
  ticketHash: Buffer | null;
  createdAt: number;
  expiresAt: number;
  usedAt: number | null;
}

export interface ChallengeRepository {
  /**
   * Stores a challenge and, in the same atomic step, deletes the oldest unused ones with the same
   * purpose and binding (user id or ticket hash) beyond `keepPerBinding`.
   */
  insert(challenge: StoredChallenge, keepPerBinding: number): Promise<void>;
  /**
   * Stores a challenge that is already spent (a passkey answer that verified); false when that
   * challenge is stored already. One INSERT: of racing callers exactly one gets true.
   */
  insertSpent(challenge: StoredChallenge): Promise<boolean>;
  find(challenge: string): Promise<StoredChallenge | null>;
  /** Marks a live, unused challenge used; true for exactly one caller. */
  consume(challenge: string, now: number): Promise<boolean>;
  /** Forgets challenges that expired before `before`. */
  deleteExpiredBefore(before: number): Promise<number>;
}
