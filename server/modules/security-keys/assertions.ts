// Signing in with a stored key (a WebAuthn assertion, WebAuthn §7.2), in its two uses: the second
// step after the password ("Use your security key"), and passkey sign-in (modules/passkeys), where
// a discoverable credential with user verification is both factors. The options to ask for one,
// and the verify and replay checks of the answer; the flows around them (the ticket, the limit,
// the session, the events) are the callers'.
import type { AuthenticationResponseJSON, PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import type { Clock } from '../../platform/clock.js';
import type { AccountProfile } from '../accounts/index.js';
import { CHALLENGE_LIFETIME_MS, type ChallengeStore } from './challenges.js';
import type { CredentialRefusal } from './refusals.js';
import type { SecurityKey, SecurityKeyRepository } from './repository.js';
import { answeredChallenge, authenticationOptions, verifyAssertion, type RelyingParty } from './webauthn.js';

/** Null when the answer proved what was asked; else why not. */
export type AssertionRefusal = CredentialRefusal | null;

export class KeyAssertions {
  constructor(
    private readonly keys: SecurityKeyRepository,
    private readonly challenges: ChallengeStore,
    private readonly relyingParty: () => RelyingParty,
    private readonly clock: Clock,
  ) {}

  /** Options for a ticket's second step, listing the account's keys, with a challenge bound to the ticket. */
  async secondFactorOptions(keys: SecurityKey[], ticketHash: Buffer): Promise<PublicKeyCredentialRequestOptionsJSON> {
    const issued = await this.challenges.issue('second_factor', { ticketHash });
    return authenticationOptions({
      rp: this.relyingParty(),
      challenge: issued.bytes,
      timeoutMs: CHALLENGE_LIFETIME_MS,
      allow: keys.map((key) => ({ credentialId: key.credentialId, transports: key.transports })),
      // The password was the first factor; the key only has to be present (WebAuthn §5.10.6).
      userVerification: 'discouraged',
    });
  }

  /** Options to test one key: only it is allowed, with a challenge bound to its account. */
  async keyTestOptions(key: SecurityKey): Promise<PublicKeyCredentialRequestOptionsJSON> {
    const issued = await this.challenges.issue('key_test', { userId: key.userId });
    return authenticationOptions({
      rp: this.relyingParty(),
      challenge: issued.bytes,
      timeoutMs: CHALLENGE_LIFETIME_MS,
      allow: [{ credentialId: key.credentialId, transports: key.transports }],
      // A test asks what sign-in asks of the key as a second step: that it is present.
      userVerification: 'discouraged',
    });
  }

  /**
   * verify → replay check of a key test: the account's test challenge is spent first (one
   * conditional update), then the answer must come from this key and verify as at sign-in.
   */
  async checkKeyTest(key: SecurityKey, response: AuthenticationResponseJSON): Promise<AssertionRefusal> {
    const challenge = await answeredChallenge(response);
    if (challenge === null) return 'malformed';
    const taken = await this.challenges.take(challenge, 'key_test', { userId: key.userId });
    if (!taken.ok) return taken.reason;
    if (response.id !== key.credentialId) return 'other_key';
    return this.verifyPresence(key, response, taken.challenge);
  }

  /** Options without allowCredentials: the authenticator offers its own discoverable credentials. */
  passkeyOptions(): Promise<PublicKeyCredentialRequestOptionsJSON> {
    const issued = this.challenges.issuePasskey();
    return authenticationOptions({
      rp: this.relyingParty(),
      challenge: issued.bytes,
      timeoutMs: CHALLENGE_LIFETIME_MS,
      allow: [],
      userVerification: 'required',
    });
  }

  /** The account a passkey answer claims to come from (decided for real by checkPasskey). */
  async claimedOwner(response: AuthenticationResponseJSON): Promise<number | null> {
    const key = await this.keys.findByCredentialId(response.id);
    return key?.userId ?? null;
  }

  /**
   * verify → replay check of a ticket's second step: the ticket's challenge is spent first (one
   * conditional update), then the key must be the account's and its answer verify.
   */
  async checkSecondFactor(
    account: AccountProfile,
    ticketHash: Buffer,
    response: AuthenticationResponseJSON,
  ): Promise<AssertionRefusal> {
    const challenge = await answeredChallenge(response);
    if (challenge === null) return 'malformed';
    const taken = await this.challenges.take(challenge, 'second_factor', { ticketHash });
    if (!taken.ok) return taken.reason;
    const key = await this.keys.findByCredentialId(response.id);
    if (!key || key.userId !== account.id) return 'unknown_key';
    return this.verifyPresence(key, response, taken.challenge);
  }

  /**
   * The library's verification of an answer from a stored key that only has to be present (the
   * second step, a test), then its new counter recorded.
   */
  private async verifyPresence(
    key: SecurityKey,
    response: AuthenticationResponseJSON,
    expectedChallenge: string,
  ): Promise<AssertionRefusal> {
    const userHandle = await this.keys.findUserHandle(key.userId);
    const verified = await verifyAssertion({
      rp: this.relyingParty(),
      response,
      expectedChallenge,
      stored: key,
      requireUserVerification: false,
      ...(userHandle ? { userHandle: { value: userHandle, required: false } } : {}),
    });
    if (!verified.ok) return verified.reason;
    return this.recordUse(key, verified);
  }

  /**
   * verify → replay check of a passkey sign-in, for the account the credential claims (null when
   * none does). Call inside the sign-in's transaction: the counter compared is the current one.
   */
  async checkPasskey(response: AuthenticationResponseJSON, account: AccountProfile | null): Promise<AssertionRefusal> {
    const challenge = await answeredChallenge(response);
    if (challenge === null) return 'malformed';
    const taken = await this.challenges.checkPasskey(challenge);
    if (!taken.ok) return taken.reason;
    const key = await this.keys.findByCredentialId(response.id);
    if (!key || !account || key.userId !== account.id) return 'unknown_passkey';
    // Only a key registered as a passkey (user verification, discoverable) signs in on its own:
    // the key list's `passkey` says which, and must stay true (SECURITY.md).
    if (!key.passkeyCapable) return 'not_a_passkey';
    const userHandle = await this.keys.findUserHandle(account.id);
    if (!userHandle) return 'unknown_passkey';
    const verified = await verifyAssertion({
      rp: this.relyingParty(),
      response,
      expectedChallenge: taken.challenge,
      stored: key,
      requireUserVerification: true,
      userHandle: { value: userHandle, required: true },
    });
    if (!verified.ok) return verified.reason;
    // replay check: the challenge is spent only by an answer that verified, so a failed answer
    // leaves no row behind (SECURITY.md); of racing answers one spends it.
    if (!(await this.challenges.spendPasskey(challenge))) return 'challenge_used';
    return this.recordUse(key, verified);
  }

  /** The key's new counter: of two racing answers with one counter, one moves it (repository.ts). */
  private async recordUse(
    key: SecurityKey,
    verified: { newCounter: number; backupState: boolean },
  ): Promise<AssertionRefusal> {
    const recorded = await this.keys.recordUse(key.id, {
      newCounter: verified.newCounter,
      backupState: verified.backupState,
      usedAt: this.clock.now(),
    });
    return recorded ? null : 'counter_regression';
  }
}
