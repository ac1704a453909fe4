import QRCode from 'qrcode';
import { ApiError } from '../../http/api-error.js';
import type { SecretBox } from '../../crypto/secret-box.js';
import type { Clock } from '../../platform/clock.js';
import type { Random } from '../../platform/random.js';
import type { Account } from '../accounts/repository.js';
import type { TotpRepository } from './repository.js';
import { encodeSecret, keyUri, matchingStep, normalizeTotpCode, TOTP_SECRET_BYTES } from './totp-codes.js';

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
    private readonly clock: Clock,
    private readonly random: Random,
  ) {}

  async isEnabled(userId: number): Promise<boolean> {
    const credential = await this.repository.get(userId);
    return credential?.enabledAt != null;
  }

  /** A new secret, pending until enable() sees a code from it. The secret leaves here once. */
  async beginSetup(account: Account): Promise<TotpSetup> {
    const secret = this.random.bytes(TOTP_SECRET_BYTES);
    const expiresAt = this.clock.now() + this.setupLifetimeSeconds * 1000;
    const saved = await this.repository.savePending(account.id, this.box.seal(secret, aad(account.id)), expiresAt);
    if (!saved) throw alreadyEnabled();
    const secretBase32 = encodeSecret(secret);
    const otpauthUri = keyUri(this.issuer, account.username, secretBase32);
    const qrCodeSvg = await QRCode.toString(otpauthUri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
    secret.fill(0);
    return { secret: secretBase32, otpauthUri, qrCodeSvg, expiresAt };
  }

  /** Turns TOTP on when `code` comes from the pending secret; that code's step counts as used. */
  async enable(userId: number, input: string): Promise<void> {
    const credential = await this.repository.get(userId);
    const now = this.clock.now();
    if (credential?.enabledAt != null) throw alreadyEnabled();
    if (!credential || credential.setupExpiresAt === null || credential.setupExpiresAt <= now) {
      throw new ApiError(
        409,
        'no_pending_setup',
        'There is no set-up in progress, or it expired. Start again with your password.',
      );
    }
    const step = this.stepOf(credential.userId, credential.secretSealed, input, now);
    if (step === null) throw wrongSetupCode();
    if (!(await this.repository.enable(userId, now, step))) {
      throw new ApiError(
        409,
        'no_pending_setup',
        'There is no set-up in progress, or it expired. Start again with your password.',
      );
    }
  }

  /** verify → replay check: true once per accepted time step (RFC 6238 §5.2). */
  async verify(userId: number, input: string): Promise<boolean> {
    const credential = await this.repository.get(userId);
    if (!credential || credential.enabledAt === null) return false;
    const step = this.stepOf(userId, credential.secretSealed, input, this.clock.now());
    if (step === null || step <= credential.lastUsedStep) return false;
    return this.repository.acceptStep(userId, step);
  }

  async disable(userId: number): Promise<void> {
    if (!(await this.repository.deleteEnabled(userId))) {
      throw new ApiError(409, 'totp_not_enabled', 'Authenticator-app codes are not turned on for this account.');
    }
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
  return new ApiError(
    409,
    'totp_already_enabled',
    'Authenticator-app codes are already on. Turn them off first to set up a new app.',
  );
}

function wrongSetupCode(): ApiError {
  return new ApiError(
    401,
    'invalid_code',
    'That code does not match. Check the time on your phone and enter the newest 6-digit code.',
  );
}
