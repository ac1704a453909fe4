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
import type { AccountProfile, AccountService } from '../accounts/index.js';
import type { SecurityEventLog } from '../security-events/index.js';
import type { SignedIn, SignInService } from '../sign-in/index.js';
import type { SignOutOthers, TwoFactorService } from '../two-factor/index.js';
import type { KeyAssertions } from './assertions.js';
import { CHALLENGE_LIFETIME_MS, type ChallengeStore } from './challenges.js';
import { credentialRefused, keyAlreadyRegistered, keyNotFound, type CredentialRefusal } from './refusals.js';
import type { SecurityKey, SecurityKeyRepository } from './repository.js';
import {
  answeredChallenge,
  registrationOptions,
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

export class SecurityKeyService {
  constructor(
    private readonly db: TransactionRunner,
    private readonly keys: SecurityKeyRepository,
    private readonly challenges: ChallengeStore,
    private readonly assertions: KeyAssertions,
    private readonly accounts: AccountService,
    private readonly twoFactor: TwoFactorService,
    private readonly signIn: SignInService,
    private readonly events: SecurityEventLog,
    private readonly relyingParty: () => RelyingParty,
    private readonly clock: Clock,
    private readonly random: Random,
  ) {}

  list(userId: number): Promise<SecurityKey[]> {
    return this.keys.listForUser(userId);
  }

  /**
   * Starts adding a key: verify (the password: adding a key is a sensitive change, SECURITY.md "Threat model") →
   * a registration challenge bound to the account, and the options that carry it.
   */
  async registrationOptions(
    account: AccountProfile,
    password: string,
    client: ClientInfo,
    attachment?: Attachment,
  ): Promise<PublicKeyCredentialCreationOptionsJSON> {
    // verify
    await this.accounts.reauthenticate(account, password, client);
    // change
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

  /** Finishes adding a key; two-factor turns on with the first one. */
  async register(
    account: AccountProfile,
    name: string,
    response: RegistrationResponseJSON,
    client: ClientInfo,
  ): Promise<AddedKey> {
    // parse
    const keyName = normalizeKeyName(name);
    const challenge = await answeredChallenge(response);
    if (challenge === null) throw credentialRefused('malformed', 400);
    // replay check: the registration challenge is spent once, by one conditional update
    const taken = await this.challenges.take(challenge, 'registration', { userId: account.id });
    if (!taken.ok) throw credentialRefused(taken.reason, 400);
    // verify (the library)
    const verified = await verifyRegistration({
      rp: this.relyingParty(),
      response,
      expectedChallenge: taken.challenge,
      requireUserVerification: false,
    });
    if (!verified.ok) throw credentialRefused(verified.reason, 400);
    const { userVerified, discoverable, ...stored } = verified.credential;
    // change → record event, under the account's lock (two-factor/service.ts)
    const changed = await this.twoFactor.changeFactors(account, client, {
      apply: async () => {
        const key = await this.keys.insert({
          ...stored,
          userId: account.id,
          name: keyName,
          passkeyCapable: userVerified && discoverable === true,
          createdAt: this.clock.now(),
        });
        if (!key) throw keyAlreadyRegistered();
        return key;
      },
      event: 'security_key_added',
    });
    return { key: changed.result, backupCodes: changed.backupCodes };
  }

  async rename(userId: number, keyId: string, name: string, client: ClientInfo): Promise<SecurityKey> {
    // parse
    const keyName = normalizeKeyName(name);
    const id = parseKeyId(keyId);
    // change → record event
    return this.db.transaction(async () => {
      const key = id === null ? null : await this.keys.rename(userId, id, keyName);
      if (!key) throw keyNotFound();
      await this.events.record(userId, 'security_key_renamed', client);
      return key;
    });
  }

  /** Removes a key (password). With no factor left, the backup codes go too. */
  /** Removes a key (password). With no factor left, the backup codes go too; how many other sessions ended, or null. */
  async remove(keyId: string, password: string, client: ClientInfo, choice: SignOutOthers): Promise<number | null> {
    const { account } = choice.session;
    // parse: 404 for a key that is not this account's, before the password is checked again
    const { id } = await this.ownKey(account.id, keyId);
    // verify → change → record event
    const changed = await this.twoFactor.changeFactors(account, client, {
      password,
      apply: async () => {
        if (!(await this.keys.remove(account.id, id))) throw keyNotFound();
      },
      event: 'security_key_removed',
      signOutOthers: choice,
    });
    return changed.otherSessionsEnded;
  }

  /** Starts testing one of the account's keys: options that allow only it. */
  async testOptions(userId: number, keyId: string): Promise<PublicKeyCredentialRequestOptionsJSON> {
    return this.assertions.keyTestOptions(await this.ownKey(userId, keyId));
  }

  /**
   * Tests a key: parse → verify → replay check → change (its last use and counter) → record
   * event. Nothing else changes: no session starts or ends, no attempt is counted. A refused answer
   * still spends its challenge (the transaction commits; only the answer is a refusal).
   */
  async test(
    userId: number,
    keyId: string,
    response: AuthenticationResponseJSON,
    client: ClientInfo,
  ): Promise<SecurityKey> {
    // parse
    const key = await this.ownKey(userId, keyId);
    const outcome = await this.db.transaction(async () => {
      // verify → replay check → change
      const refused = await this.assertions.checkKeyTest(key, response);
      if (refused !== null) return { refused };
      // record event
      await this.events.record(userId, 'security_key_tested', client);
      return { refused: null, key: await this.keys.findForUser(userId, key.id) };
    });
    if (outcome.refused !== null) throw credentialRefused(outcome.refused, 401);
    if (!outcome.key) throw keyNotFound();
    return outcome.key;
  }

  /** The account's key with this id, or 404: unknown, removed and another account's alike. */
  private async ownKey(userId: number, keyId: string): Promise<SecurityKey> {
    const id = parseKeyId(keyId);
    const key = id === null ? null : await this.keys.findForUser(userId, id);
    if (!key) throw keyNotFound();
    return key;
  }

  /** The second step of a sign-in: options that list the ticket's account's keys. */
  async signInOptions(ticket: string): Promise<PublicKeyCredentialRequestOptionsJSON> {
    const account = await this.signIn.ticketAccount(ticket);
    const keys = await this.keys.listForUser(account.id);
    if (keys.length === 0) {
      throw new ApiError(409, 'no_security_keys');
    }
    return this.assertions.secondFactorOptions(keys, hashToken(ticket));
  }

  /**
   * Completes a ticket with a security key, inside SignInService's one transaction (limit →
   * verify → replay check → rotate session → record event). A refusal counts as a wrong second
   * factor and is answered with its own sentence.
   */
  async signInWithKey(ticket: string, response: AuthenticationResponseJSON, client: ClientInfo): Promise<SignedIn> {
    const refusal: { reason?: CredentialRefusal } = {};
    try {
      return await this.signIn.withSecondFactor(ticket, client, 'security_key', async (account) => {
        const refused = await this.assertions.checkSecondFactor(account, hashToken(ticket), response);
        if (refused === null) return true;
        refusal.reason = refused;
        return false;
      });
    } catch (error) {
      if (refusal.reason && error instanceof ApiError && error.code === 'invalid_code') {
        throw credentialRefused(refusal.reason, 401);
      }
      throw error;
    }
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
