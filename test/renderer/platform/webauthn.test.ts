// @vitest-environment happy-dom
// The person's choice of authenticator in the creation options, and the sentence for each way a
// browser prompt can fail (WebAuthn §5.1.3/§5.1.4 error names, and @simplewebauthn/browser's
// WebAuthnError codes built from them). Pure functions: no browser prompt runs here.
import { WebAuthnError, type PublicKeyCredentialCreationOptionsJSON } from '@simplewebauthn/browser';
import { afterEach, describe, expect, it } from 'vitest';
import { CEREMONY_MESSAGES, ceremonyError, withKeyKind } from '../../../src-renderer/platform/webauthn.js';

const options: PublicKeyCredentialCreationOptionsJSON = {
  challenge: 'Y2hhbGxlbmdl',
  rp: { id: 'localhost', name: 'Latchkey' },
  user: { id: 'dXNlcg', name: 'alice', displayName: 'alice' },
  pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
  attestation: 'none',
  excludeCredentials: [{ id: 'a2V5', type: 'public-key', transports: ['usb'] }],
  authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' },
};

describe('withKeyKind', () => {
  it('sets the same hints and attachment as the server would for the choice, and keeps the rest', () => {
    expect(withKeyKind(options, 'usb')).toEqual({
      ...options,
      hints: ['security-key'],
      authenticatorSelection: {
        residentKey: 'preferred',
        userVerification: 'preferred',
        authenticatorAttachment: 'cross-platform',
      },
    });
    expect(withKeyKind(options, 'platform')).toMatchObject({
      hints: ['client-device'],
      authenticatorSelection: { authenticatorAttachment: 'platform', residentKey: 'preferred' },
      excludeCredentials: options.excludeCredentials,
      challenge: options.challenge,
    });
    expect(options.hints).toBeUndefined(); // the server's options are not changed in place
  });
});

describe('ceremonyError', () => {
  const dom = (name: string) => new DOMException('browser says no', name);
  const wrapped = (code: WebAuthnError['code'], name: string) =>
    new WebAuthnError({ message: 'library says no', code, cause: dom(name) });

  afterEach(() => {
    delete (globalThis as { PublicKeyCredential?: unknown }).PublicKeyCredential;
  });

  it('a cancelled or timed-out prompt (NotAllowedError, AbortError) has a sentence per ceremony', () => {
    (globalThis as { PublicKeyCredential?: unknown }).PublicKeyCredential = class {};
    for (const ceremony of ['registration', 'second_factor', 'passkey'] as const) {
      for (const error of [
        dom('NotAllowedError'),
        dom('AbortError'),
        wrapped('ERROR_PASSTHROUGH_SEE_CAUSE_PROPERTY', 'NotAllowedError'),
        wrapped('ERROR_CEREMONY_ABORTED', 'AbortError'),
      ]) {
        const apiError = ceremonyError(error, ceremony);
        expect(apiError).toMatchObject({ status: 0, code: `${ceremony}_cancelled` });
        expect(apiError.message).toBe(CEREMONY_MESSAGES[`${ceremony}_cancelled`]);
      }
    }
    expect(new Set(Object.values(CEREMONY_MESSAGES)).size).toBe(Object.keys(CEREMONY_MESSAGES).length);
  });

  it('names a key already added, a wrong address, missing verification, no algorithm, other errors', () => {
    (globalThis as { PublicKeyCredential?: unknown }).PublicKeyCredential = class {};
    const cases: [unknown, string][] = [
      [wrapped('ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED', 'InvalidStateError'), 'already_registered'],
      [dom('InvalidStateError'), 'already_registered'],
      [wrapped('ERROR_INVALID_DOMAIN', 'SecurityError'), 'wrong_address'],
      [wrapped('ERROR_INVALID_RP_ID', 'SecurityError'), 'wrong_address'],
      [dom('SecurityError'), 'wrong_address'],
      [wrapped('ERROR_AUTHENTICATOR_MISSING_USER_VERIFICATION_SUPPORT', 'ConstraintError'), 'no_user_verification'],
      [wrapped('ERROR_AUTHENTICATOR_NO_SUPPORTED_PUBKEYCREDPARAMS_ALG', 'NotSupportedError'), 'no_supported_algorithm'],
      [wrapped('ERROR_AUTHENTICATOR_GENERAL_ERROR', 'UnknownError'), 'key_error'],
      [dom('UnknownError'), 'key_error'],
      ['not even an error', 'key_error'],
    ];
    for (const [error, code] of cases) expect(ceremonyError(error, 'registration').code, String(error)).toBe(code);
  });

  it('says when the browser has no WebAuthn at all', () => {
    const error = new Error('WebAuthn is not supported in this browser');
    expect(ceremonyError(error, 'passkey')).toMatchObject({
      code: 'unsupported',
      message: CEREMONY_MESSAGES.unsupported,
    });
  });
});
