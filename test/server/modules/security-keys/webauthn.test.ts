// The verification wrapper against the W3C WebAuthn Level 3 test vectors (§16.2, §16.3): the
// published outputs verify, and each way of spoiling them is refused for its own reason.
import { describe, expect, it } from 'vitest';
import {
  answeredChallenge,
  authenticationOptions,
  keyType,
  registrationOptions,
  relyingPartyFor,
  verifyAssertion,
  verifyRegistration,
  type RegisteredCredential,
  type RelyingParty,
} from '../../../../server/modules/security-keys/webauthn.js';
import {
  authenticationChallenge,
  authenticationResponse,
  NONE_ES256,
  PACKED_SELF_ES256,
  registrationChallenge,
  registrationResponse,
  W3C_ORIGIN,
  W3C_RP_ID,
  type W3cVector,
} from './w3c-test-vectors.js';

const rp: RelyingParty = { id: W3C_RP_ID, name: 'Example', origin: W3C_ORIGIN };

async function registered(vector: W3cVector): Promise<RegisteredCredential> {
  const result = await verifyRegistration({
    rp,
    response: registrationResponse(vector),
    expectedChallenge: registrationChallenge(vector),
    requireUserVerification: false,
  });
  if (!result.ok) throw new Error(`registration refused: ${result.reason}`);
  return result.credential;
}

function flipByte(base64url: string, index: number): string {
  const bytes = Buffer.from(base64url, 'base64url');
  bytes[index < 0 ? bytes.length + index : index]! ^= 0x01;
  return bytes.toString('base64url');
}

describe('verifyRegistration with the W3C vectors', () => {
  it('accepts §16.2 (none attestation, ES256) and reads what Latchkey stores', async () => {
    const credential = await registered(NONE_ES256);
    expect(credential.credentialId).toBe(Buffer.from(NONE_ES256.credentialIdHex, 'hex').toString('base64url'));
    expect(credential.aaguid).toBe('8446ccb9-ab1d-b374-750b-2367ff6f3a1f');
    expect(credential.counter).toBe(0);
    // flags 0x59: UP, BE, BS, AT — no UV
    expect(credential.userVerified).toBe(false);
    expect(credential.backupEligible).toBe(true);
    expect(credential.backupState).toBe(true);
    expect(credential.transports).toEqual([]);
    expect(credential.type).toBe('other');
    expect(credential.discoverable).toBeNull();
    // COSE EC2 key: kty 2, alg -7, crv 1, then the published x coordinate
    expect(Buffer.from(credential.publicKey).toString('hex')).toContain(
      'afefa16f97ca9b2d23eb86ccb64098d20db90856062eb249c33a9b672f26df61',
    );
  });

  it('accepts §16.3 (packed self attestation), registered with user verification', async () => {
    const credential = await registered(PACKED_SELF_ES256);
    expect(credential.userVerified).toBe(true);
    expect(credential.aaguid).toBe('df850e09-db6a-fbdf-ab51-697791506cfc');
  });

  it('refuses each spoiled registration with its own reason', async () => {
    const response = registrationResponse(NONE_ES256);
    const challenge = registrationChallenge(NONE_ES256);
    const verify = (overrides: Partial<Parameters<typeof verifyRegistration>[0]>) =>
      verifyRegistration({ rp, response, expectedChallenge: challenge, requireUserVerification: false, ...overrides });

    expect(await verify({ rp: { ...rp, origin: 'https://evil.example' } })).toEqual({
      ok: false,
      reason: 'wrong_origin',
    });
    expect(await verify({ rp: { ...rp, id: 'evil.example' } })).toEqual({ ok: false, reason: 'wrong_rp_id' });
    expect(await verify({ expectedChallenge: registrationChallenge(PACKED_SELF_ES256) })).toEqual({
      ok: false,
      reason: 'challenge_mismatch',
    });
    expect(await verify({ requireUserVerification: true })).toEqual({
      ok: false,
      reason: 'user_verification_missing',
    });
    // An assertion's clientDataJSON (type webauthn.get) offered as a registration
    const crossed = {
      ...response,
      response: { ...response.response, clientDataJSON: authenticationResponse(NONE_ES256).response.clientDataJSON },
    };
    expect(await verify({ response: crossed, expectedChallenge: authenticationChallenge(NONE_ES256) })).toEqual({
      ok: false,
      reason: 'wrong_ceremony',
    });
    const damaged = { ...response, response: { ...response.response, attestationObject: 'AAAA' } };
    expect(await verify({ response: damaged })).toEqual({ ok: false, reason: 'malformed' });
    const notJson = { ...response, response: { ...response.response, clientDataJSON: 'bm90IGpzb24' } };
    expect(await verify({ response: notJson })).toEqual({ ok: false, reason: 'malformed' });
  });
});

describe('verifyAssertion with the W3C vectors', () => {
  async function assertion(vector: W3cVector, overrides: Partial<Parameters<typeof verifyAssertion>[0]> = {}) {
    const credential = await registered(vector);
    return verifyAssertion({
      rp,
      response: authenticationResponse(vector),
      expectedChallenge: authenticationChallenge(vector),
      stored: credential,
      requireUserVerification: false,
      ...overrides,
    });
  }

  it('accepts §16.2 and §16.3 against the public key from their registration', async () => {
    expect(await assertion(NONE_ES256)).toEqual({ ok: true, newCounter: 0, userVerified: false, backupState: true });
    expect(await assertion(PACKED_SELF_ES256)).toEqual({
      ok: true,
      newCounter: 0,
      userVerified: false,
      backupState: false,
    });
  });

  it('refuses a signature counter that did not increase when the stored one is not zero', async () => {
    const credential = await registered(NONE_ES256);
    expect(await assertion(NONE_ES256, { stored: { ...credential, counter: 1 } })).toEqual({
      ok: false,
      reason: 'counter_regression',
    });
  });

  it('refuses an assertion without user verification when it is required', async () => {
    expect(await assertion(NONE_ES256, { requireUserVerification: true })).toEqual({
      ok: false,
      reason: 'user_verification_missing',
    });
  });

  it('refuses another origin, another RP ID and another challenge', async () => {
    expect(await assertion(NONE_ES256, { rp: { ...rp, origin: 'http://localhost:4750' } })).toEqual({
      ok: false,
      reason: 'wrong_origin',
    });
    expect(await assertion(NONE_ES256, { rp: { ...rp, id: 'localhost' } })).toEqual({
      ok: false,
      reason: 'wrong_rp_id',
    });
    expect(await assertion(NONE_ES256, { expectedChallenge: authenticationChallenge(PACKED_SELF_ES256) })).toEqual({
      ok: false,
      reason: 'challenge_mismatch',
    });
  });

  it('refuses a tampered signature, tampered authenticator data and the wrong public key', async () => {
    const response = authenticationResponse(NONE_ES256);
    const badSignature = {
      ...response,
      response: { ...response.response, signature: flipByte(response.response.signature, -1) },
    };
    expect(await assertion(NONE_ES256, { response: badSignature })).toEqual({ ok: false, reason: 'bad_signature' });
    // the last byte of authenticatorData is the low byte of the signature counter
    const badData = {
      ...response,
      response: { ...response.response, authenticatorData: flipByte(response.response.authenticatorData, -1) },
    };
    expect(await assertion(NONE_ES256, { response: badData })).toEqual({ ok: false, reason: 'bad_signature' });
    const otherKey = await registered(PACKED_SELF_ES256);
    expect(await assertion(NONE_ES256, { stored: { ...otherKey, counter: 0 } })).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
  });

  it('checks the user handle the response names (WebAuthn §7.2 step 6)', async () => {
    const owner = new Uint8Array([1, 2, 3, 4]);
    const response = authenticationResponse(NONE_ES256);
    expect(await assertion(NONE_ES256, { userHandle: { value: owner, required: true } })).toEqual({
      ok: false,
      reason: 'user_handle_missing',
    });
    // not required (second factor): absent is fine
    expect(await assertion(NONE_ES256, { userHandle: { value: owner, required: false } })).toMatchObject({ ok: true });
    const naming = (handle: string) => ({ ...response, response: { ...response.response, userHandle: handle } });
    expect(
      await assertion(NONE_ES256, { response: naming('BQYHCA'), userHandle: { value: owner, required: false } }),
    ).toEqual({ ok: false, reason: 'wrong_user_handle' });
    expect(
      await assertion(NONE_ES256, { response: naming('AQIDBA'), userHandle: { value: owner, required: true } }),
    ).toMatchObject({ ok: true });
  });

  it('calls unreadable input malformed instead of throwing', async () => {
    const response = authenticationResponse(NONE_ES256);
    const garbage = { ...response, response: { ...response.response, authenticatorData: '!!', clientDataJSON: '%%' } };
    expect(await assertion(NONE_ES256, { response: garbage })).toEqual({ ok: false, reason: 'malformed' });
  });
});

describe('helpers around the library', () => {
  it('reads the challenge a response answers, or null', async () => {
    expect(await answeredChallenge(authenticationResponse(NONE_ES256))).toBe(authenticationChallenge(NONE_ES256));
    expect(await answeredChallenge({ response: { clientDataJSON: 'not base64 json' } })).toBeNull();
    const noChallenge = Buffer.from(JSON.stringify({ type: 'webauthn.get', challenge: 7 })).toString('base64url');
    expect(await answeredChallenge({ response: { clientDataJSON: noChallenge } })).toBeNull();
  });

  it('tells a USB key from a built-in authenticator', () => {
    expect(keyType(['usb'], 'cross-platform')).toBe('usb');
    expect(keyType(['usb', 'nfc'], undefined)).toBe('usb');
    expect(keyType(['internal'], 'platform')).toBe('platform');
    expect(keyType(['internal', 'hybrid'], undefined)).toBe('platform');
    expect(keyType([], 'platform')).toBe('platform');
    expect(keyType(['nfc'], 'cross-platform')).toBe('other');
    expect(keyType([], undefined)).toBe('other');
  });

  it('derives the relying party from the public origin', () => {
    expect(relyingPartyFor('http://localhost:4680', 'Latchkey')).toEqual({
      id: 'localhost',
      name: 'Latchkey',
      origin: 'http://localhost:4680',
    });
    expect(relyingPartyFor('https://auth.example.com/', 'Acme').id).toBe('auth.example.com');
  });

  it('builds creation options for the chosen kind of authenticator', async () => {
    const base = {
      rp: relyingPartyFor('http://localhost:4750', 'Latchkey'),
      userHandle: new Uint8Array(32).fill(7),
      userName: 'alice',
      challenge: new Uint8Array(32).fill(9),
      timeoutMs: 300_000,
      exclude: [{ credentialId: 'AQID', transports: ['usb'] }],
    };
    const usb = await registrationOptions({ ...base, attachment: 'cross-platform' });
    expect(usb.hints).toEqual(['security-key']);
    expect(usb.authenticatorSelection).toMatchObject({
      authenticatorAttachment: 'cross-platform',
      residentKey: 'preferred',
      userVerification: 'preferred',
    });
    expect(usb.attestation).toBe('none');
    expect(usb.rp).toEqual({ id: 'localhost', name: 'Latchkey' });
    expect(usb.challenge).toBe(Buffer.alloc(32, 9).toString('base64url'));
    expect(usb.user.id).toBe(Buffer.alloc(32, 7).toString('base64url'));
    expect(usb.excludeCredentials).toEqual([{ id: 'AQID', transports: ['usb'], type: 'public-key' }]);
    const platform = await registrationOptions({ ...base, attachment: 'platform' });
    expect(platform.hints).toEqual(['client-device']);
    expect(platform.authenticatorSelection?.authenticatorAttachment).toBe('platform');
    const either = await registrationOptions(base);
    expect(either.hints).toEqual([]);
    expect(either.authenticatorSelection?.authenticatorAttachment).toBeUndefined();
  });

  it('builds request options with or without allowCredentials', async () => {
    const rpLocal = relyingPartyFor('http://localhost:4750', 'Latchkey');
    const listed = await authenticationOptions({
      rp: rpLocal,
      challenge: new Uint8Array(32),
      timeoutMs: 300_000,
      allow: [{ credentialId: 'AQID', transports: ['internal'] }],
      userVerification: 'discouraged',
    });
    expect(listed).toMatchObject({ rpId: 'localhost', userVerification: 'discouraged' });
    expect(listed.allowCredentials).toEqual([{ id: 'AQID', transports: ['internal'], type: 'public-key' }]);
    const passkey = await authenticationOptions({
      rp: rpLocal,
      challenge: new Uint8Array(32),
      timeoutMs: 300_000,
      allow: [],
      userVerification: 'required',
    });
    expect(passkey.allowCredentials).toBeUndefined();
    expect(passkey.userVerification).toBe('required');
  });
});
