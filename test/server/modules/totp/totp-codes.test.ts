import { generateSync } from 'otplib';
import { describe, expect, it } from 'vitest';
import {
  codeAt,
  decodeSecret,
  encodeSecret,
  keyUri,
  matchingStep,
  normalizeTotpCode,
  timeStep,
} from '../../../../server/modules/totp/totp-codes.js';

// RFC 6238 Appendix B: the SHA-1 seed is the ASCII string "12345678901234567890".
const RFC_SEED = new Uint8Array(Buffer.from('12345678901234567890', 'ascii'));
const RFC_SHA1_VECTORS: Array<[seconds: number, eightDigits: string]> = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
];

describe('TOTP codes (RFC 6238, SHA-1)', () => {
  it.each(RFC_SHA1_VECTORS)('matches the RFC 6238 vector at T=%i', (seconds, eightDigits) => {
    expect(generateSync({ secret: RFC_SEED, epoch: seconds, digits: 8, period: 30, algorithm: 'sha1' })).toBe(
      eightDigits,
    );
    // A 6-digit code is the same truncated value mod 10^6 (RFC 4226 §5.3), i.e. the last six digits.
    expect(codeAt(RFC_SEED, seconds * 1000)).toBe(eightDigits.slice(2));
  });

  it('accepts the current step and one step either side, and nothing further', () => {
    const now = 1_700_000_015_000;
    const step = timeStep(now);
    for (const offset of [-1, 0, 1]) {
      const code = codeAt(RFC_SEED, now + offset * 30_000);
      expect(matchingStep(RFC_SEED, code, now)).toBe(step + offset);
    }
    for (const offset of [-3, -2, 2, 3]) {
      const code = codeAt(RFC_SEED, now + offset * 30_000);
      expect(matchingStep(RFC_SEED, code, now)).toBeNull();
    }
  });

  it('normalises spaces and dashes and refuses anything but six digits', () => {
    expect(normalizeTotpCode(' 123 456 ')).toBe('123456');
    expect(normalizeTotpCode('123-456')).toBe('123456');
    expect(normalizeTotpCode('12345')).toBeNull();
    expect(normalizeTotpCode('1234567')).toBeNull();
    expect(normalizeTotpCode('12345a')).toBeNull();
    expect(normalizeTotpCode('１２３４５６')).toBeNull();
  });

  it('encodes a 160-bit secret as 32 unpadded Base32 characters and back', () => {
    const secret = new Uint8Array(20).map((_, index) => index * 13);
    const encoded = encodeSecret(secret);
    expect(encoded).toMatch(/^[A-Z2-7]{32}$/);
    expect([...decodeSecret(encoded)]).toEqual([...secret]);
  });

  it("writes Google Authenticator's Key-Uri-Format with every parameter spelled out", () => {
    const uri = new URL(keyUri('Latchkey', 'alice@example.com', 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP'));
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.host).toBe('totp');
    expect(decodeURIComponent(uri.pathname)).toBe('/Latchkey:alice@example.com');
    expect(Object.fromEntries(uri.searchParams)).toEqual({
      secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
      issuer: 'Latchkey',
      algorithm: 'SHA1',
      digits: '6',
      period: '30',
    });
  });
});
