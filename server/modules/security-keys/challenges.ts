// WebAuthn challenges (WebAuthn §13.4.3): random, kept on the server, bound to what asked for
// them, single-use, and good for 5 minutes by the injected clock.
//
// Registration and second-factor challenges are asked for by someone signed in or holding a
// ticket: each is a row, bound to its account or ticket, at most KEEP_PER_BINDING live at once.
// A passkey challenge is asked for by anyone, so it leaves no row (SECURITY.md "What the database
// keeps"): it is sealed instead, its expiry and 256 random bits authenticated by an HMAC-SHA256
// under a key of its own, and only a passkey sign-in that verified stores it, to spend it once.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { secretKeyObject } from '../../crypto/key-objects.js';
import type { Clock } from '../../platform/clock.js';
import type { Random } from '../../platform/random.js';
import type { ChallengePurpose, ChallengeRepository, StoredChallenge } from './repository.js';
import type { ChallengeRefusal } from './refusals.js';

export const CHALLENGE_LIFETIME_MS = 5 * 60_000;
const CHALLENGE_BYTES = 32;
/** Expired and used challenges are kept this long, so a late or replayed answer is told why. */
export const KEEP_AFTER_EXPIRY_MS = 60 * 60_000;
/** Live challenges one account (registration) or one ticket (second factor) may hold. */
export const KEEP_PER_BINDING = 5;

/** A sealed passkey challenge: expiry (8 bytes) ‖ random (32) ‖ HMAC-SHA256 of both (32). */
const SEALED_EXPIRY_BYTES = 8;
const SEALED_BYTES = SEALED_EXPIRY_BYTES + CHALLENGE_BYTES + 32;

/** What a challenge is bound to: an account (registration, key test) or a sign-in ticket (second factor). */
export interface ChallengeBinding {
  userId?: number;
  ticketHash?: Buffer;
}

export interface IssuedChallenge {
  bytes: Uint8Array;
  /** base64url, as it comes back in clientDataJSON */
  encoded: string;
  expiresAt: number;
}

export type TakenChallenge = { ok: true; challenge: string } | { ok: false; reason: ChallengeRefusal };

export class ChallengeStore {
  constructor(
    private readonly repository: ChallengeRepository,
    /**
     * HMAC-SHA256 keys for passkey challenges (DerivedKeys.passkeyChallenge): the current key's
     * seals, and every key held opens, so challenges issued just before a key rotation still work.
     */
    private readonly sealingKeys: readonly Buffer[],
    private readonly clock: Clock,
    private readonly random: Random,
  ) {}

  /** A registration or second-factor challenge, stored and bound; older live ones beyond five go. */
  async issue(purpose: Exclude<ChallengePurpose, 'passkey'>, binding: ChallengeBinding): Promise<IssuedChallenge> {
    const now = this.clock.now();
    const bytes = this.random.bytes(CHALLENGE_BYTES);
    const challenge: StoredChallenge = {
      challenge: bytes.toString('base64url'),
      purpose,
      userId: binding.userId ?? null,
      ticketHash: binding.ticketHash ?? null,
      createdAt: now,
      expiresAt: now + CHALLENGE_LIFETIME_MS,
      usedAt: null,
    };
    await this.repository.insert(challenge, KEEP_PER_BINDING);
    return { bytes: new Uint8Array(bytes), encoded: challenge.challenge, expiresAt: challenge.expiresAt };
  }

  /** A passkey challenge: sealed, nothing stored. */
  issuePasskey(): IssuedChallenge {
    const expiresAt = this.clock.now() + CHALLENGE_LIFETIME_MS;
    const expiry = Buffer.alloc(SEALED_EXPIRY_BYTES);
    expiry.writeBigUInt64BE(BigInt(expiresAt));
    const sealedPart = Buffer.concat([expiry, this.random.bytes(CHALLENGE_BYTES)]);
    const bytes = Buffer.concat([sealedPart, this.seal(this.sealingKeys[0]!, sealedPart)]);
    return { bytes: new Uint8Array(bytes), encoded: bytes.toString('base64url'), expiresAt };
  }

  /**
   * Spends the challenge a response answers, if it was issued for this purpose and binding, is
   * unused and has not expired. The spend is one conditional UPDATE: of racing answers, one wins.
   */
  async take(encoded: string, purpose: ChallengePurpose, binding: ChallengeBinding = {}): Promise<TakenChallenge> {
    const stored = await this.repository.find(encoded);
    if (!stored || stored.purpose !== purpose || !bindingMatches(stored, binding)) {
      return { ok: false, reason: 'unknown_challenge' };
    }
    const now = this.clock.now();
    if (stored.usedAt !== null) return { ok: false, reason: 'challenge_used' };
    if (stored.expiresAt <= now) return { ok: false, reason: 'challenge_expired' };
    if (!(await this.repository.consume(encoded, now))) return { ok: false, reason: 'challenge_used' };
    return { ok: true, challenge: stored.challenge };
  }

  /** Whether a passkey answer's challenge is one of ours, live and not yet spent. Spends nothing. */
  async checkPasskey(encoded: string): Promise<TakenChallenge> {
    const expiresAt = this.unseal(encoded);
    if (expiresAt === null) return { ok: false, reason: 'unknown_challenge' };
    if ((await this.repository.find(encoded)) !== null) return { ok: false, reason: 'challenge_used' };
    if (expiresAt <= this.clock.now()) return { ok: false, reason: 'challenge_expired' };
    return { ok: true, challenge: encoded };
  }

  /**
   * Spends a passkey challenge whose answer verified: one INSERT that exactly one of any number of
   * racing answers gets to make (the database's uniqueness, across server processes).
   */
  spendPasskey(encoded: string): Promise<boolean> {
    const expiresAt = this.unseal(encoded);
    if (expiresAt === null) return Promise.resolve(false);
    const now = this.clock.now();
    return this.repository.insertSpent({
      challenge: encoded,
      purpose: 'passkey',
      userId: null,
      ticketHash: null,
      createdAt: expiresAt - CHALLENGE_LIFETIME_MS,
      expiresAt,
      usedAt: now,
    });
  }

  /** Forgets challenges an hour past their expiry. */
  sweepExpired(): Promise<number> {
    return this.repository.deleteExpiredBefore(this.clock.now() - KEEP_AFTER_EXPIRY_MS);
  }

  private seal(key: Buffer, part: Buffer): Buffer {
    return createHmac('sha256', secretKeyObject(key)).update('latchkey passkey challenge\0').update(part).digest();
  }

  /** The expiry a sealed challenge carries, or null when it is not one this server sealed. */
  private unseal(encoded: string): number | null {
    const bytes = Buffer.from(encoded, 'base64url');
    if (bytes.length !== SEALED_BYTES || bytes.toString('base64url') !== encoded) return null;
    const part = bytes.subarray(0, SEALED_EXPIRY_BYTES + CHALLENGE_BYTES);
    const tag = bytes.subarray(part.length);
    if (!this.sealingKeys.some((key) => timingSafeEqual(this.seal(key, part), tag))) return null;
    return Number(bytes.readBigUInt64BE(0));
  }
}

function bindingMatches(stored: StoredChallenge, binding: ChallengeBinding): boolean {
  if ((stored.userId ?? undefined) !== binding.userId) return false;
  if (stored.ticketHash === null || binding.ticketHash === undefined) {
    return stored.ticketHash === null && binding.ticketHash === undefined;
  }
  return stored.ticketHash.equals(binding.ticketHash);
}
