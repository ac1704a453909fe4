import { ApiError } from '../../http/api-error.js';
import type { ClientInfo } from '../../http/client-info.js';
import type { SecretBox } from '../../crypto/secret-box.js';
import type { Clock } from '../../platform/clock.js';
import { loadOnce } from '../../platform/load-once.js';
import type { Random } from '../../platform/random.js';
import type { Account, AccountService } from '../accounts/index.js';
import type { TwoFactorService, TwoFactorStatus } from '../two-factor/index.js';
import type { TotpRepository } from './repository.js';
import { encodeSecret, keyUri, matchingStep, normalizeTotpCode, TOTP_SECRET_BYTES } from './totp-codes.js';

/** QR code rendering, imported when someone first sets up TOTP rather than at every start. */
const qrCodes = loadOnce(async () => (await import('qrcode')).default);

/** A pending set-up ends after this many wrong codes; the owner starts again with the password. */
export const SETUP_MAX_ATTEMPTS = 5;

/** What a code sent to enable() did: turned TOTP on, or was wrong (with the tries it left). */
export type EnableOutcome = { enabled: true } | { enabled: false; attemptsLeft: number };

export interface TotpSetup {
  secret: string;
  otpauthUri: string;
  qrCodeSvg: string;
  expiresAt: number;
}

export class TotpService {
  constructor(
    private readonly repository: TotpRepository,
    private readonly box: SecretBox,
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
  async beginSetup(account: Account, password: string, client: ClientInfo): Promise<TotpSetup> {
    // verify
    await this.accounts.reauthenticate(account, password, client);
    // change
    const secret = this.random.bytes(TOTP_SECRET_BYTES);
    const expiresAt = this.clock.now() + this.setupLifetimeSeconds * 1000;
    const saved = await this.repository.savePending(account.id, this.box.seal(secret, aad(account.id)), expiresAt);
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
  async enable(account: Account, code: string, client: ClientInfo): Promise<string[] | null> {
    const changed = await this.twoFactor.changeFactors(account, client, {
      apply: async (before): Promise<EnableOutcome> => {
        // limit: each code takes one of the set-up's five attempts first; the fifth wrong one
        // ends the set-up
        const now = this.clock.now();
        const credential = await this.repository.takeSetupAttempt(account.id, now, SETUP_MAX_ATTEMPTS);
        if (!credential) throw before.totp ? alreadyEnabled() : noPendingSetup();
        // verify
        const step = this.stepOf(credential.userId, credential.secretSealed, code, now);
        if (step === null) {
          const attemptsLeft = SETUP_MAX_ATTEMPTS - credential.setupAttempts;
          if (attemptsLeft === 0) await this.repository.endPending(account.id);
          return { enabled: false, attemptsLeft };
        }
        // replay check → change: the code's step is the last one used
        if (!(await this.repository.enable(account.id, now, step))) throw noPendingSetup();
        return { enabled: true };
      },
      // record event
      event: (outcome) => (outcome.enabled ? 'totp_enabled' : 'second_factor_failed'),
    });
    if (!changed.result.enabled) throw wrongSetupCode(changed.result.attemptsLeft);
    return changed.backupCodes;
  }

  /** verify → replay check: true once per accepted time step (RFC 6238 §5.2). */
  async verify(userId: number, input: string): Promise<boolean> {
    const credential = await this.repository.get(userId);
    if (!credential || credential.enabledAt === null) return false;
    const step = this.stepOf(userId, credential.secretSealed, input, this.clock.now());
    if (step === null || step <= credential.lastUsedStep) return false;
    return this.repository.acceptStep(userId, step);
  }

  /** Turns TOTP off: verify (the password) → change → record event. With no factor left, the backup codes go too. */
  async disable(account: Account, password: string, client: ClientInfo): Promise<TwoFactorStatus> {
    const changed = await this.twoFactor.changeFactors(account, client, {
      password,
      apply: async () => {
        if (!(await this.repository.deleteEnabled(account.id))) throw new ApiError(409, 'totp_not_enabled');
      },
      event: 'totp_disabled',
    });
    return changed.twoFactor;
  }

  private stepOf(userId: number, sealed: Buffer, input: string, now: number): number | null {
    const code = normalizeTotpCode(input);
    if (code === null) return null;
    const secret = this.box.open(sealed, aad(userId));
    try {
      return matchingStep(secret, code, now);
    } finally {
      secret.fill(0);
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
export function wrongSetupCode(attemptsLeft: number): ApiError {
  if (attemptsLeft === 0) {
    return new ApiError(
      409,
      'no_pending_setup',
      `That code does not match either, so this set-up has ended after ${SETUP_MAX_ATTEMPTS} wrong codes. Start again with your password.`,
    );
  }
  return new ApiError(
    401,
    'invalid_code',
    `That code does not match. Check the time on your phone and enter the newest 6-digit code (${attemptsLeft} ${attemptsLeft === 1 ? 'try' : 'tries'} left).`,
  );
}
