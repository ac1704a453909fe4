// The security_keys and webauthn_challenges rows as both backends return them. SQLite has no
// boolean type (0 or 1); PostgreSQL's columns are boolean.
import type { ChallengePurpose, SecurityKey, SecurityKeyType, StoredChallenge } from './repository.js';

type StoredBoolean = boolean | 0 | 1;

export interface KeyRow {
  id: number;
  user_id: number;
  credential_id: string;
  public_key: Buffer;
  counter: number;
  transports: string;
  aaguid: string;
  backup_eligible: StoredBoolean;
  backup_state: StoredBoolean;
  type: string;
  name: string;
  passkey_capable: StoredBoolean;
  created_at: number;
  last_used_at: number | null;
}

export interface ChallengeRow {
  challenge: string;
  purpose: string;
  user_id: number | null;
  ticket_hash: Buffer | null;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

export function toKey(row: KeyRow): SecurityKey {
  return {
    id: row.id,
    userId: row.user_id,
    credentialId: row.credential_id,
    publicKey: new Uint8Array(row.public_key),
    counter: row.counter,
    transports: parseTransports(row.transports),
    aaguid: row.aaguid,
    backupEligible: Boolean(row.backup_eligible),
    backupState: Boolean(row.backup_state),
    type: row.type as SecurityKeyType,
    name: row.name,
    passkeyCapable: Boolean(row.passkey_capable),
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
  };
}

export const toChallenge = (row: ChallengeRow): StoredChallenge => ({
  challenge: row.challenge,
  purpose: row.purpose as ChallengePurpose,
  userId: row.user_id,
  ticketHash: row.ticket_hash,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
  usedAt: row.used_at,
});

/** A challenge's columns in the order both backends insert them (INSERT … VALUES). */
export function challengeColumns(challenge: StoredChallenge) {
  return [
    challenge.challenge,
    challenge.purpose,
    challenge.userId,
    challenge.ticketHash,
    challenge.createdAt,
    challenge.expiresAt,
    challenge.usedAt,
  ] as const;
}

/** The stored JSON array of AuthenticatorTransport strings; anything else reads as none. */
function parseTransports(json: string): string[] {
  const value: unknown = JSON.parse(json);
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}
