import { ApiError } from '../../http/api-error.js';
import type { ClientInfo } from '../../http/client-info.js';
import type { Sealed, SecretVault } from '../../crypto/secret-vault.js';
import type { Clock } from '../../platform/clock.js';
import { loadOnce } from '../../platform/load-once.js';
import type { Random } from '../../platform/random.js';
import type { AccountProfile, AccountService } from '../accounts/index.js';
import type { SignOutOthers, TwoFactorService, TwoFactorStatus } from '../two-factor/index.js';
import type { TotpCredential, TotpRepository } from './repository.js';
import { CLOCK_DRIFT_MAX_SECONDS } from '../../../contract/values.js';
import {
  clockDriftSeconds,
  encodeSecret,
  keyUri,
  matchingStep,
  normalizeTotpCode,
  TOTP_SECRET_BYTES,
} from './totp-codes.js';

/** QR code rendering, imported when someone first sets up TOTP rather than at every start. */
const qrCodes = loadOnce(async () => (await import('qrcode')).default);

/** A pending set-up ends after this many wrong codes; the owner starts again with the password. */
export const SETUP_MAX_ATTEMPTS = 5;

/**
 * What a code sent to enable() did: turned TOTP on, or was wrong (with the tries it left, and how
 * far off the phone's clock is when the code was right for another time near now).
 */
export type EnableOutcome = { enabled: true } | { enabled: false; attemptsLeft: number; driftSeconds: number | null };

export interface TotpSetup {
  secret: string;
  otpauthUri: string;
  qrCodeSvg: string;
  expiresAt: number;
}

export class TotpService {
  constructor(
    private readonly repository: TotpRepository,
    private readonly vault: SecretVault,
    private readonly issuer: string,
    private readonly setupLifetimeSeconds: number,
    private readonly accounts: AccountService,
    private readonly twoFactor: TwoFactorService,
    private readonly clock: Clock,
    private readonly random: Random,
  ) {}

  /**
   * Starts a set-up: a new secret, pending until enable() sees a code from it. The secret leaves
   * here once. verify (the password: a sensitive change, SECURITY.md "Threat model") → change.
   */
  async beginSetup(account: AccountProfile, password: string, client: ClientInfo): Promise<TotpSetup> {
    // verify
    await this.accounts.reauthenticate(account, password, client);
    // change
    const secret = this.random.bytes(TOTP_SECRET_BYTES);
    const expiresAt = this.clock.now() + this.setupLifetimeSeconds * 1000;
    const saved = await this.repository.savePending(account.id, this.vault.seal(secret, aad(account.id)), expiresAt);
    if (!saved) throw alreadyEnabled();
    const secretBase32 = encodeSecret(secret);
    const otpauthUri = keyUri(this.issuer, account.username, secretBase32);
    const qrCodeSvg = await (
      await qrCodes()
    ).toString(otpauthUri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
    secret.fill(0);
    return { secret: secretBase32, otpauthUri, qrCodeSvg, expiresAt };
  }

  /**
   * Turns TOTP on when `code` comes from the pending secret; that code's step counts as used. The
   * first factor brings ten backup codes (returned), later ones none (null). A wrong code commits
   * its spent attempt and its event, so the owner sees every one in the activity, and then is
   * answered 401 (wrongSetupCode).
   */
  async enable(account: AccountProfile, code: string, client: ClientInfo): Promise<string[] | null> {
    const changed = await this.twoFactor.changeFactors(account, client, {
      apply: async (before): Promise<EnableOutcome> => {
        // limit: each code takes one of the set-up's five attempts first; the fifth wrong one
        // ends the set-up
        const now = this.clock.now();
        const credential = await this.repository.takeSetupAttempt(account.id, now, SETUP_MAX_ATTEMPTS);
        if (!credential) throw before.totp ? alreadyEnabled() : noPendingSetup();
        // verify: a code for another time near now is still wrong, and says how far off the clock is
        const { step, renewal, driftSeconds } = this.stepOf(credential, code, now, { measureDrift: true });
        if (step === null) {
          const attemptsLeft = SETUP_MAX_ATTEMPTS - credential.setupAttempts;
          if (attemptsLeft === 0) await this.repository.endPending(account.id);
          return { enabled: false, attemptsLeft, driftSeconds: driftSeconds ?? null };
        }
        // replay check → change: the code's step is the last one used; a secret sealed under a
        // previous key is sealed again under the current one
        if (!(await this.repository.enable(account.id, now, step))) throw noPendingSetup();
        if (renewal) await this.repository.reseal(account.id, credential.secretSealed, renewal);
        return { enabled: true };
      },
      // record event
      event: (outcome) => (outcome.enabled ? 'totp_enabled' : 'second_factor_failed'),
    });
    if (!changed.result.enabled) throw wrongSetupCode(changed.result.attemptsLeft, changed.result.driftSeconds);
    return changed.backupCodes;
  }

  /**
   * verify → replay check: true once per accepted time step (RFC 6238 §5.2). A secret sealed under
   * a previous key is sealed again under the current one, in the same transaction.
   */
  async verify(userId: number, input: string): Promise<boolean> {
    const credential = await this.repository.get(userId);
    if (!credential || credential.enabledAt === null) return false;
    const { step, renewal } = this.stepOf(credential, input, this.clock.now());
    if (step === null || step <= credential.lastUsedStep) return false;
    if (!(await this.repository.acceptStep(userId, step))) return false;
    if (renewal) await this.repository.reseal(userId, credential.secretSealed, renewal);
    return true;
  }

  /**
   * The id of the key that opens an enabled secret stored before key ids; undefined when there is
   * none, null when no key held here opens it. One key sealed everything before key ids, so this
   * one secret tells which.
   */
  async keyOfUnlabeled(): Promise<string | null | undefined> {
    const credential = await this.repository.findUnlabeled();
    if (!credential) return undefined;
    try {
      const opened = this.vault.open(credential.secretSealed, null, aad(credential.userId));
      opened.plaintext.fill(0);
      return opened.keyId;
    } catch {
      return null;
    }
  }

  /**
   * Seals every secret (enabled or pending) that is not under the current key under it: the admin
   * command `reencrypt-secrets`. Counts what it re-sealed, and the user ids of secrets that no key
   * held here opens (MissingSecretKeyError or a box that does not open).
   */
  async resealAll(batch = 500): Promise<{ resealed: number; unopened: number[] }> {
    const result = { resealed: 0, unopened: [] as number[] };
    for (let after = 0; ;) {
      const credentials = await this.repository.listNotSealedUnder(this.vault.currentKeyId, after, batch);
      if (credentials.length === 0) return result;
      for (const credential of credentials) {
        after = credential.userId;
        let renewal: Sealed;
        try {
          const opened = this.vault.open(credential.secretSealed, credential.keyId, aad(credential.userId));
          renewal = this.vault.seal(opened.plaintext, aad(credential.userId));
          opened.plaintext.fill(0);
        } catch {
          result.unopened.push(credential.userId);
          continue;
        }
        // A set-up begun or a code used meanwhile has already sealed it anew: nothing to do.
        if (await this.repository.reseal(credential.userId, credential.secretSealed, renewal)) result.resealed++;
      }
    }
  }

  /** Turns TOTP off: verify (the password) → change → record event. With no factor left, the backup codes go too. */
  async disable(
    password: string,
    client: ClientInfo,
    choice: SignOutOthers,
  ): Promise<{ twoFactor: TwoFactorStatus; otherSessionsEnded: number | null }> {
    const { account } = choice.session;
    const changed = await this.twoFactor.changeFactors(account, client, {
      password,
      apply: async () => {
        if (!(await this.repository.deleteEnabled(account.id))) throw new ApiError(409, 'totp_not_enabled');
      },
      event: 'totp_disabled',
      signOutOthers: choice,
    });
    return { twoFactor: changed.twoFactor, otherSessionsEnded: changed.otherSessionsEnded };
  }

  /**
   * The step `input` matches, or null; with the secret sealed under the current key when the
   * credential's box is under an older one or names none (to be stored once the code is accepted).
   * With measureDrift, a code that matches no step of the window says how far off the clock that
   * made it is, when that is within ten minutes (docs/api.md "POST /api/v1/me/totp/enable").
   */
  private stepOf(
    credential: TotpCredential,
    input: string,
    now: number,
    { measureDrift = false } = {},
  ): { step: number | null; renewal?: Sealed; driftSeconds?: number | null } {
    const code = normalizeTotpCode(input);
    if (code === null) return { step: null };
    const opened = this.vault.open(credential.secretSealed, credential.keyId, aad(credential.userId));
    try {
      const step = matchingStep(opened.plaintext, code, now);
      if (step === null) {
        return {
          step,
          driftSeconds: measureDrift ? clockDriftSeconds(opened.plaintext, code, now, CLOCK_DRIFT_MAX_SECONDS) : null,
        };
      }
      if (credential.keyId === this.vault.currentKeyId) return { step };
      return { step, renewal: this.vault.seal(opened.plaintext, aad(credential.userId)) };
    } finally {
      opened.plaintext.fill(0);
    }
  }
}

/** Associated data that binds a sealed secret to its user row. */
function aad(userId: number): string {
  return `totp:user:${userId}`;
}

function alreadyEnabled(): ApiError {
  return new ApiError(409, 'totp_already_enabled');
}

function noPendingSetup(): ApiError {
  return new ApiError(409, 'no_pending_setup');
}

/**
 * A wrong code at set-up: 401 with the tries left, or, for the last one, 409 no_pending_setup (the
 * set-up is gone, and the User Center goes back to the password step).
 */
export function wrongSetupCode(attemptsLeft: number, driftSeconds: number | null = null): ApiError {
  if (attemptsLeft === 0) {
    return new ApiError(
      409,
      'no_pending_setup',
      `That code does not match either, so this set-up has ended after ${SETUP_MAX_ATTEMPTS} wrong codes. Start again with your password.`,
    );
  }
  const tries = `${attemptsLeft} ${attemptsLeft === 1 ? 'try' : 'tries'} left`;
  if (driftSeconds !== null) {
    return new ApiError(
      401,
      'clock_drift',
      `Your phone's clock is about ${describeDrift(driftSeconds)}. Turn on automatic date and time on your phone, then enter the new code (${tries}).`,
      undefined,
      { driftSeconds },
    );
  }
  return new ApiError(
    401,
    'invalid_code',
    `That code does not match. Check the time on your phone and enter the newest 6-digit code (${tries}).`,
  );
}

/** "3 minutes behind", "30 seconds ahead": the offset in the words the dialog uses. */
function describeDrift(driftSeconds: number): string {
  const seconds = Math.abs(driftSeconds);
  const amount =
    seconds < 60
      ? `${seconds} seconds`
      : `${Math.round(seconds / 60)} minute${Math.round(seconds / 60) === 1 ? '' : 's'}`;
  return `${amount} ${driftSeconds < 0 ? 'behind' : 'ahead'}`;
}
