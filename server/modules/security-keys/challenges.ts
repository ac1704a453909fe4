// WebAuthn challenges (WebAuthn §13.4.3): random, kept on the server, bound to what asked for
// them, single-use, and good for 5 minutes by the injected clock.
import type { Clock } from '../../platform/clock.js';
import type { Random } from '../../platform/random.js';
import type { ChallengePurpose, ChallengeRepository, StoredChallenge } from './repository.js';
import type { ChallengeRefusal } from './refusals.js';

export const CHALLENGE_LIFETIME_MS = 5 * 60_000;
const CHALLENGE_BYTES = 32;
/** Expired and used challenges are kept this long, so a late or replayed answer is told why. */
const KEEP_AFTER_EXPIRY_MS = 60 * 60_000;

/** What a challenge is bound to: an account (registration) or a sign-in ticket (second factor). */
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
    private readonly clock: Clock,
    private readonly random: Random,
  ) {}

  async issue(purpose: ChallengePurpose, binding: ChallengeBinding = {}): Promise<IssuedChallenge> {
    const now = this.clock.now();
    await this.repository.deleteExpiredBefore(now - KEEP_AFTER_EXPIRY_MS);
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
    await this.repository.insert(challenge);
    return { bytes: new Uint8Array(bytes), encoded: challenge.challenge, expiresAt: challenge.expiresAt };
  }

  /** Forgets challenges an hour past their expiry. */
  sweepExpired(): Promise<number> {
    return this.repository.deleteExpiredBefore(this.clock.now() - KEEP_AFTER_EXPIRY_MS);
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
}

function bindingMatches(stored: StoredChallenge, binding: ChallengeBinding): boolean {
  if ((stored.userId ?? undefined) !== binding.userId) return false;
  if (stored.ticketHash === null || binding.ticketHash === undefined) {
    return stored.ticketHash === null && binding.ticketHash === undefined;
  }
  return stored.ticketHash.equals(binding.ticketHash);
}
