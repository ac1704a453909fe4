// SECURITY.md "Hostile input": property-based tests (fast-check, seeded and bounded) of every
// parser that sees input from outside: code normalisation, Base32, the key URI, usernames and
// passwords, tokens.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isWellFormedToken } from '../../server/crypto/tokens.js';
import { checkUsername, isValidUsername, usernameKey } from '../../server/modules/accounts/username.js';
import { checkPassword } from '../../server/modules/accounts/password-policy.js';
import {
  BACKUP_CODE_ALPHABET,
  newBackupCode,
  normalizeBackupCode,
} from '../../server/modules/backup-codes/backup-code-format.js';
import {
  decodeSecret,
  encodeSecret,
  keyUri,
  normalizeTotpCode,
  TOTP_SECRET_BYTES,
} from '../../server/modules/totp/totp-codes.js';
import { fcParameters, timeLimit } from './support/scale.js';

/** Strings as hostile as they come: any code point, lone surrogates, controls, huge. */
const hostileString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({
    unit: fc.constantFrom(' ', '-', '\t', '\u00a0', '\u200b', '\ufeff', '٣', '７', 'K', 'İ'),
    maxLength: 30,
  }),
  fc.string({ maxLength: 5000 }),
);

/** Spaces, tabs and dashes a person might type between the characters of a code. */
const separators = fc.array(fc.constantFrom('', ' ', '-', '  ', '\t', ' - '), { minLength: 1, maxLength: 12 });

function interleave(text: string, gaps: string[]): string {
  return [...text].map((char, index) => `${gaps[index % gaps.length]}${char}`).join('') + gaps[0];
}

describe('backup code normalisation', { timeout: timeLimit(60_000) }, () => {
  it('never throws, and yields null or exactly ten ASCII letters and digits', () => {
    fc.assert(
      fc.property(hostileString, (input) => {
        const normalized = normalizeBackupCode(input);
        expect(normalized === null || /^[a-z0-9]{10}$/.test(normalized)).toBe(true);
      }),
      fcParameters(500),
    );
  });

  it('reads every code the server makes back, with any spacing, dashes and letter case', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 10, maxLength: 10 }), separators, fc.boolean(), (bytes, gaps, upper) => {
        const code = newBackupCode({ bytes: () => Buffer.from(bytes) });
        const typed = interleave(upper ? code.toUpperCase() : code, gaps);
        expect(normalizeBackupCode(typed)).toBe(code.replace('-', ''));
      }),
      fcParameters(300),
    );
  });

  it('is idempotent, and accepts nothing outside the alphabet but case and separators', () => {
    fc.assert(
      fc.property(hostileString, (input) => {
        const normalized = normalizeBackupCode(input);
        if (normalized === null) return;
        expect(normalizeBackupCode(normalized)).toBe(normalized);
      }),
      fcParameters(300),
    );
    expect(BACKUP_CODE_ALPHABET).toMatch(/^[a-z2-9]{32}$/);
  });
});

describe('TOTP code normalisation', { timeout: timeLimit(60_000) }, () => {
  it('never throws, and yields null or six ASCII digits (no other script’s digits)', () => {
    fc.assert(
      fc.property(hostileString, (input) => {
        const normalized = normalizeTotpCode(input);
        expect(normalized === null || /^[0-9]{6}$/.test(normalized)).toBe(true);
      }),
      fcParameters(500),
    );
    expect(normalizeTotpCode('١٢٣٤٥٦')).toBeNull();
    expect(normalizeTotpCode('１２３４５６')).toBeNull();
  });

  it('reads six digits with any spacing and dashes', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{6}$/), separators, (digits, gaps) => {
        expect(normalizeTotpCode(interleave(digits, gaps))).toBe(digits);
      }),
      fcParameters(300),
    );
  });
});

describe('Base32 secrets', { timeout: timeLimit(60_000) }, () => {
  it('round-trip any bytes, unpadded, in the RFC 4648 alphabet', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 64 }), (bytes) => {
        const encoded = encodeSecret(bytes);
        expect(encoded).toMatch(/^[A-Z2-7]+$/);
        expect(Buffer.from(decodeSecret(encoded)).equals(Buffer.from(bytes))).toBe(true);
      }),
      fcParameters(300),
    );
    expect(encodeSecret(new Uint8Array(TOTP_SECRET_BYTES))).toHaveLength(32);
  });

  it('refuse, with an error, text that is not Base32 rather than decode it to something', () => {
    fc.assert(
      fc.property(
        hostileString.filter((text) => /[^A-Za-z2-7=]/.test(text)),
        (text) => {
          expect(() => decodeSecret(text)).toThrow();
        },
      ),
      fcParameters(300),
    );
  });
});

/** What config.ts allows as an issuer: at most 64 characters, no colon. */
const issuer = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }).filter((text) => !text.includes(':'));
/** What registration allows as a username, as it is stored (NFKC). */
const username = fc
  .string({ unit: 'grapheme', minLength: 3, maxLength: 20 })
  .map((text) => text.normalize('NFKC'))
  .filter(isValidUsername);

describe('the key URI (Google Authenticator Key-Uri-Format)', { timeout: timeLimit(60_000) }, () => {
  it('names issuer and account exactly, in RFC 3986 encoding, for any issuer and username', () => {
    fc.assert(
      fc.property(issuer, username, fc.uint8Array({ minLength: 20, maxLength: 20 }), (name, account, bytes) => {
        const secret = encodeSecret(bytes);
        const uri = keyUri(name, account, secret);
        expect(uri).toMatch(/^otpauth:\/\/totp\/[^?#]+\?[^#]+$/);
        // Read it the way an app reading RFC 3986 does: %-decoding only ("+" is a plus).
        const [path, query] = uri.slice('otpauth://totp/'.length).split('?') as [string, string];
        expect(decodeURIComponent(path)).toBe(`${name}:${account}`);
        expect(path.indexOf(':')).toBe(encodeURIComponent(name).length);
        const params = Object.fromEntries(
          query.split('&').map((pair) => pair.split('=').map(decodeURIComponent) as [string, string]),
        );
        expect(params).toEqual({ secret, issuer: name, algorithm: 'SHA1', digits: '6', period: '30' });
      }),
      fcParameters(300),
    );
  });
});

describe('usernames and passwords', { timeout: timeLimit(60_000) }, () => {
  it('usernames: never throw; the key is stable, and blind to letter case and full-width forms', () => {
    fc.assert(
      fc.property(hostileString, (input) => {
        const checked = checkUsername(input);
        const key = usernameKey(input);
        expect(usernameKey(key)).toBe(key);
        // RFC 8265's output for an accepted name is the key accounts are stored and found by.
        if (checked.ok) expect(checked.key).toBe(key);
        else expect(checked.message).toMatch(/\S\.$/);
      }),
      fcParameters(500),
    );
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 3, maxLength: 30 }), (input) => {
        const checked = checkUsername(input);
        if (checked.ok) expect(checked.key).toBe(usernameKey(input));
      }),
      fcParameters(2000),
    );
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._@+-]{2,63}$/), (input) => {
        const fullWidth = [...input]
          .map((char) => (/[A-Za-z0-9]/.test(char) ? String.fromCodePoint(char.codePointAt(0)! + 0xfee0) : char))
          .join('');
        expect(usernameKey(input.toUpperCase())).toBe(usernameKey(input.toLowerCase()));
        expect(usernameKey(fullWidth)).toBe(usernameKey(input));
        expect(isValidUsername(input)).toBe(true);
      }),
      fcParameters(300),
    );
  });

  it('passwords: never throw; 8 to 128 characters after NFC, never truncated', () => {
    fc.assert(
      fc.property(hostileString, (input) => {
        const checked = checkPassword(input);
        const length = [...input.normalize('NFC')].length;
        if (checked.ok) {
          expect(checked.normalized).toBe(input.normalize('NFC'));
          expect(length).toBeGreaterThanOrEqual(8);
          expect(length).toBeLessThanOrEqual(128);
        } else {
          expect(checked.problem).toBe(length < 8 ? 'too_short' : 'too_long');
        }
      }),
      fcParameters(500),
    );
  });

  it('session tokens and tickets: only 43 base64url characters are even looked up', () => {
    fc.assert(
      fc.property(hostileString, (input) => {
        expect(isWellFormedToken(input)).toBe(/^[A-Za-z0-9_-]{43}$/.test(input));
      }),
      fcParameters(300),
    );
  });
});
