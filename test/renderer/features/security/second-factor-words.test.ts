// How the page names the second factors: two-factor is on while TOTP or a key exists, and the
// authenticator-app button says what it really does.
import { describe, expect, it } from 'vitest';
import type { TwoFactorStatus } from '../../../../src-renderer/api/types.js';
import { keyTypeWords } from '../../../../src-renderer/features/security/security-keys/key-words.js';
import {
  authenticatorAppAction,
  secondFactorSummary,
  usualSecondStep,
} from '../../../../src-renderer/features/security/two-factor/second-factor-words.js';

const status = (totp: boolean, securityKeys: number): TwoFactorStatus => ({
  enabled: totp || securityKeys > 0,
  totp,
  securityKeys,
  backupCodesRemaining: totp || securityKeys > 0 ? 10 : 0,
});

describe('second-factor words', () => {
  it('names the app button after what it changes', () => {
    expect(authenticatorAppAction(status(false, 0))).toBe('Enable Two-Factor Authentication');
    expect(authenticatorAppAction(status(true, 0))).toBe('Disable Two-Factor Authentication');
    expect(authenticatorAppAction(status(true, 2))).toBe('Turn off authenticator app');
    expect(authenticatorAppAction(status(false, 1))).toBe('Set up authenticator app');
  });

  it('summarises the factors, and what a backup code stands in for', () => {
    expect(secondFactorSummary(status(false, 0))).toBeNull();
    expect(secondFactorSummary(status(true, 0))).toBe('Authenticator app');
    expect(secondFactorSummary(status(false, 1))).toBe('1 security key');
    expect(secondFactorSummary(status(true, 3))).toBe('Authenticator app and 3 security keys');
    expect(usualSecondStep(status(true, 0))).toBe('your authenticator app');
    expect(usualSecondStep(status(false, 2))).toBe('your security key');
    expect(usualSecondStep(status(true, 2))).toBe('your authenticator app or security key');
  });

  it('says each key type in words', () => {
    expect(keyTypeWords('usb')).toBe('USB security key');
    expect(keyTypeWords('platform')).toBe('Built-in authenticator');
    expect(keyTypeWords('other')).toBe('Security key');
  });
});
