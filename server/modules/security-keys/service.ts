// Security keys as a second factor: registration after the password, the account's list, rename
// and removal, and the ticket's second step ("Use your security key").
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { KEY_NAME_MAX_CHARACTERS } from '../../../contract/values.js';
import type { TransactionRunner } from '../../db/transaction-runner.js';
import { hashToken } from '../../crypto/tokens.js';
import { ApiError, errors } from '../../http/api-error.js';
import type { ClientInfo } from '../../http/client-info.js';
import type { Clock } from '../../platform/clock.js';
import type { Random } from '../../platform/random.js';
import type { Account } from '../accounts/repository.js';
import type { SecurityEventLog } from '../security-events/service.js';
import type { SignedIn, SignInService } from '../sign-in/service.js';
import type { SecurityKeyCounter, TwoFactorService } from '../two-factor/service.js';
import { CHALLENGE_LIFETIME_MS, type ChallengeStore } from './challenges.js';
import { credentialRefused, keyAlreadyRegistered, keyNotFound, type CredentialRefusal } from './refusals.js';
import type { SecurityKey, SecurityKeyRepository } from './repository.js';
import {
  answeredChallenge,
  authenticationOptions,
  registrationOptions,
  verifyAssertion,
  verifyRegistration,
  type Attachment,
  type RelyingParty,
} from './webauthn.js';

export { KEY_NAME_MAX_CHARACTERS };
const USER_HANDLE_BYTES = 32;

export interface AddedKey {
  key: SecurityKey;
  /** Ten new backup codes when this key turned two-factor on, else null. */
  backupCodes: string[] | null;
}

export type AssertionCheck = { ok: true } | { ok: false; reason: CredentialRefusal };

export class SecurityKeyService implements SecurityKeyCounter {
  constructor(
    private readonly db: TransactionRunner,
    private readonly keys: SecurityKeyRepository,
    private readonly challenges: ChallengeStore,
    private readonly twoFactor: TwoFactorService,
    private readonly signIn: SignInService,
    private readonly events: SecurityEventLog,
    private readonly relyingParty: () => RelyingParty,
    private readonly clock: Clock,
    private readonly random: Random,
  ) {}

  count(userId: number): Promise<number> {
    return this.keys.countForUser(userId);
  }

  list(userId: number): Promise<SecurityKey[]> {
    return this.keys.listForUser(userId);
  }

  /** Call after the password was checked again (a sensitive change: docs/api.md "Re-authentication"). */
  async registrationOptions(
    account: Account,
    attachment?: Attachment,
  ): Promise<PublicKeyCredentialCreationOptionsJSON> {
    const userHandle = await this.keys.userHandle(account.id, () => this.random.bytes(USER_HANDLE_BYTES));
    const existing = await this.keys.listForUser(account.id);
    const issued = await this.challenges.issue('registration', { userId: account.id });
    return registrationOptions({
      rp: this.relyingParty(),
      userHandle,
      userName: account.username,
      challenge: issued.bytes,
      timeoutMs: CHALLENGE_LIFETIME_MS,
      ...(attachment ? { attachment } : {}),
      exclude: existing.map((key) => ({ credentialId: key.credentialId, transports: key.transports })),
    });
  }

  /** parse → spend the challenge → verify (library) → store; two-factor turns on with the first key. */
  async register(
    account: Account,
    name: string,
    response: RegistrationResponseJSON,
    client: ClientInfo,
  ): Promise<AddedKey> {
    const keyName = normalizeKeyName(name);
    const challenge = answeredChallenge(response);
    if (challenge === null) throw credentialRefused('malformed', 400);
    const taken = await this.challenges.take(challenge, 'registration', { userId: account.id });
    if (!taken.ok) throw credentialRefused(taken.reason, 400);
    const verified = await verifyRegistration({
      rp: this.relyingParty(),
      response,
      expectedChallenge: taken.challenge,
      requireUserVerification: false,
    });
    if (!verified.ok) throw credentialRefused(verified.reason, 400);
    const { credential } = verified;
    return this.db.transaction(async () => {
      // Read-then-change of the account's factors: one such change per account at a time.
      await this.db.lockAccount(account.id);
      const before = await this.twoFactor.status(account.id);
      const key = await this.keys.insert({
        userId: account.id,
        credentialId: credential.credentialId,
        publicKey: credential.publicKey,
        counter: credential.counter,
        transports: credential.transports,
        aaguid: credential.aaguid,
        backupEligible: credential.backupEligible,
        backupState: credential.backupState,
        type: credential.type,
        name: keyName,
        passkeyCapable: credential.userVerified && credential.discoverable === true,
        createdAt: this.clock.now(),
      });
      if (!key) throw keyAlreadyRegistered();
      const backupCodes = await this.twoFactor.afterFactorAdded(account.id, before);
      await this.events.record(account.id, 'security_key_added', client);
      if (backupCodes) await this.events.record(account.id, 'backup_codes_generated', client);
      return { key, backupCodes };
    });
  }

  async rename(userId: number, keyId: string, name: string, client: ClientInfo): Promise<SecurityKey> {
    const keyName = normalizeKeyName(name);
    const id = parseKeyId(keyId);
    return this.db.transaction(async () => {
      const key = id === null ? null : await this.keys.rename(userId, id, keyName);
      if (!key) throw keyNotFound();
      await this.events.record(userId, 'security_key_renamed', client);
      return key;
    });
  }

  /** 404 for a key that is not this account's, before the password is checked again. */
  async assertOwned(userId: number, keyId: string): Promise<void> {
    const id = parseKeyId(keyId);
    if (id === null || !(await this.keys.findForUser(userId, id))) throw keyNotFound();
  }

  /** Call after the password was checked again. With no factor left, the backup codes go too. */
  async remove(userId: number, keyId: string, client: ClientInfo): Promise<void> {
    const id = parseKeyId(keyId);
    await this.db.transaction(async () => {
      await this.db.lockAccount(userId);
      if (id === null || !(await this.keys.remove(userId, id))) throw keyNotFound();
      await this.twoFactor.afterFactorRemoved(userId);
      await this.events.record(userId, 'security_key_removed', client);
    });
  }

  /** The second step of a sign-in: options that list the ticket's account's keys. */
  async signInOptions(ticket: string): Promise<PublicKeyCredentialRequestOptionsJSON> {
    const account = await this.signIn.ticketAccount(ticket);
    const keys = await this.keys.listForUser(account.id);
    if (keys.length === 0) {
      throw new ApiError(409, 'no_security_keys');
    }
    const issued = await this.challenges.issue('second_factor', { ticketHash: hashToken(ticket) });
    return authenticationOptions({
      rp: this.relyingParty(),
      challenge: issued.bytes,
      timeoutMs: CHALLENGE_LIFETIME_MS,
      allow: keys.map((key) => ({ credentialId: key.credentialId, transports: key.transports })),
      // The password was the first factor; the key only has to be present (WebAuthn §5.10.6).
      userVerification: 'discouraged',
    });
  }

  /**
   * Completes a ticket with a security key, inside SignInService's one transaction (limit →
   * verify → replay → rotate session → event). A refusal counts as a wrong second factor and is
   * answered with its own sentence.
   */
  async signInWithKey(ticket: string, response: AuthenticationResponseJSON, client: ClientInfo): Promise<SignedIn> {
    const refusal: { reason?: CredentialRefusal } = {};
    try {
      return await this.signIn.withSecondFactor(ticket, client, async (account) => {
        const checked = await this.checkAssertion(account, ticket, response);
        if (checked.ok) return true;
        refusal.reason = checked.reason;
        return false;
      });
    } catch (error) {
      if (refusal.reason && error instanceof ApiError && error.code === 'invalid_code') {
        throw credentialRefused(refusal.reason, 401);
      }
      throw error;
    }
  }

  private async checkAssertion(
    account: Account,
    ticket: string,
    response: AuthenticationResponseJSON,
  ): Promise<AssertionCheck> {
    const challenge = answeredChallenge(response);
    if (challenge === null) return { ok: false, reason: 'malformed' };
    const taken = await this.challenges.take(challenge, 'second_factor', { ticketHash: hashToken(ticket) });
    if (!taken.ok) return taken;
    const key = await this.keys.findByCredentialId(response.id);
    if (!key || key.userId !== account.id) return { ok: false, reason: 'unknown_key' };
    const userHandle = await this.keys.findUserHandle(account.id);
    const verified = await verifyAssertion({
      rp: this.relyingParty(),
      response,
      expectedChallenge: taken.challenge,
      stored: key,
      requireUserVerification: false,
      ...(userHandle ? { userHandle: { value: userHandle, required: false } } : {}),
    });
    if (!verified.ok) return verified;
    const recorded = await this.keys.recordUse(key.id, {
      newCounter: verified.newCounter,
      backupState: verified.backupState,
      usedAt: this.clock.now(),
    });
    return recorded ? { ok: true } : { ok: false, reason: 'counter_regression' };
  }
}

/**
 * Characters a key name may not hold (SECURITY.md "Look-alike names"): controls, line breaks,
 * format characters (the bidi controls U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C
 * among them: they reorder how the list shows text), default-ignorable and invisible code points
 * (zero-width spaces, Hangul fillers, the blank braille pattern), private-use and unassigned ones.
 */
const HIDDEN_IN_KEY_NAMES =
  /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Co}\p{Cn}\p{Default_Ignorable_Code_Point}\p{Noncharacter_Code_Point}\u2800]/u;

/** NFC, trimmed, 1–64 characters, nothing invisible or direction-changing. */
export function normalizeKeyName(name: string): string {
  const normalized = name.isWellFormed() ? name.normalize('NFC').trim() : '';
  if (normalized.length === 0 || [...normalized].length > KEY_NAME_MAX_CHARACTERS) {
    throw new ApiError(400, 'invalid_name');
  }
  const hidden = HIDDEN_IN_KEY_NAMES.exec(normalized);
  if (hidden) throw errors.hiddenCharacterInName(hidden[0]);
  return normalized;
}

function parseKeyId(value: string): number | null {
  return /^[1-9][0-9]{0,14}$/.test(value) ? Number(value) : null;
}
