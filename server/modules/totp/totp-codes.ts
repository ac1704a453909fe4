// TOTP as docs/api.md "TOTP" fixes it: SHA-1, 6 digits, 30-second period, 160-bit secret in
// unpadded Base32, a code from the current step or the one just before or after accepted. The
// arithmetic is otplib's; this file only pins the parameters and the key URI.
import { generateSync, generateURI, ScureBase32Plugin, verifySync } from 'otplib';

export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
export const TOTP_SECRET_BYTES = 20; // RFC 4226 §4 R6: 160 bits recommended
const base32 = new ScureBase32Plugin();

export function encodeSecret(secret: Uint8Array): string {
  return base32.encode(secret).replace(/=+$/, '');
}

export function decodeSecret(secret: string): Uint8Array {
  return base32.decode(secret);
}

/** The step of `nowMs` (RFC 6238 §4.2: T = floor((now - T0) / X)). */
export function timeStep(nowMs: number): number {
  return Math.floor(nowMs / 1000 / TOTP_PERIOD_SECONDS);
}

export function codeAt(secret: Uint8Array, nowMs: number): string {
  return generateSync({
    secret,
    epoch: Math.floor(nowMs / 1000),
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD_SECONDS,
    algorithm: 'sha1',
  });
}

/** The step that `code` belongs to within ±1 step of now, or null when it matches none. */
export function matchingStep(secret: Uint8Array, code: string, nowMs: number): number | null {
  return stepWithin(secret, code, nowMs, TOTP_PERIOD_SECONDS);
}

/**
 * How far the clock that made `code` is off, in seconds (negative: behind), when the code is
 * right for a step within `maxSeconds` of now; null when it matches none (docs/api.md "POST
 * /api/v1/me/totp/enable"). Call only for a code matchingStep() refused: a step of the accepted
 * window is no drift.
 */
export function clockDriftSeconds(secret: Uint8Array, code: string, nowMs: number, maxSeconds: number): number | null {
  const step = stepWithin(secret, code, nowMs, maxSeconds);
  return step === null ? null : (step - timeStep(nowMs)) * TOTP_PERIOD_SECONDS;
}

/** The step `code` belongs to within `toleranceSeconds` either side of now (otplib's search), or null. */
function stepWithin(secret: Uint8Array, code: string, nowMs: number, toleranceSeconds: number): number | null {
  const result = verifySync({
    secret,
    token: code,
    epoch: Math.floor(nowMs / 1000),
    epochTolerance: toleranceSeconds,
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD_SECONDS,
    algorithm: 'sha1',
  });
  // verifySync is typed for TOTP and HOTP alike; a TOTP result carries its timeStep.
  return result.valid && 'timeStep' in result ? result.timeStep : null;
}

/** Spaces and dashes are ignored (docs/api.md "POST /api/v1/session/totp"); then anything but six digits is no code. */
export function normalizeTotpCode(input: string): string | null {
  const compact = input.replace(/[\s-]/g, '');
  return /^\d{6}$/.test(compact) ? compact : null;
}

/**
 * Google Authenticator's Key-Uri-Format, with algorithm, digits and period spelled out (docs/api.md
 * "POST /api/v1/me/totp/setup"), so that every mainstream app reads it the same way. The parameters
 * are appended as text: URLSearchParams would re-encode the whole query form-style, a space in the
 * issuer becoming "+", which the format's RFC 3986 reading (and some apps) take as a literal plus.
 */
export function keyUri(issuer: string, accountName: string, secretBase32: string): string {
  const uri = generateURI({ issuer, label: accountName, secret: secretBase32 });
  return `${uri}&algorithm=SHA1&digits=${TOTP_DIGITS}&period=${TOTP_PERIOD_SECONDS}`;
}
