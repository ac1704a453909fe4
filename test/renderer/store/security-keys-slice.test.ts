// @vitest-environment happy-dom
// The securityKeys slice and the session slice's key and passkey sign-in, against the real server
// (in process, fake clock). WebAuthn can't run in happy-dom: navigator.credentials is the stand-in
// of support/fake-webauthn.ts (a software authenticator), and only that; the server verifies
// every answer for real.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AppStore } from '../../../src-renderer/store/app-store.js';
import { CEREMONY_MESSAGES } from '../../../src-renderer/platform/webauthn.js';
import { keyNameProblem } from '../../../src-renderer/store/security-keys-slice.js';
import { PASSWORD, startTestServer, type TestServer } from '../../support/test-server.js';
import { FakeWebAuthn } from '../support/fake-webauthn.js';
import { signedUpStore } from '../support/test-api.js';

let server: TestServer;
let store: AppStore;
let webauthn: FakeWebAuthn;

beforeEach(async () => {
  server = await startTestServer();
  store = await signedUpStore(server);
  webauthn = new FakeWebAuthn(server.origin);
});
afterEach(async () => {
  webauthn.uninstall();
  await server.close();
});

const state = () => store.getState();
const keys = () => state().securityKeys;

/** Open the dialog and go through password and name; the prompt is next. */
async function upToPrompt(name: string, kind: 'usb' | 'platform' = 'usb'): Promise<void> {
  keys().openRegistration();
  await keys().confirmPassword(PASSWORD);
  keys().setName(name);
  keys().goToStep('kind');
  keys().setKind(kind);
}

describe('adding a key', () => {
  it('walks password → name → kind; the first key turns two-factor on and brings ten codes', async () => {
    keys().openRegistration();
    expect(keys().registration).toMatchObject({ step: 'password', options: null, firstFactor: true });
    await expect(keys().confirmPassword('wrong password')).rejects.toMatchObject({ code: 'invalid_password' });
    expect(keys().registration?.step).toBe('password');
    await keys().confirmPassword(PASSWORD);
    expect(keys().registration?.step).toBe('name');
    expect(keys().registration?.options?.challenge).toMatch(/^[\w-]{20,}$/);
    // The password itself is kept nowhere.
    expect(JSON.stringify(state())).not.toContain(PASSWORD);

    keys().setName('  Office USB key ');
    keys().goToStep('kind');
    webauthn.current = webauthn.authenticator(false);
    const added = await keys().register();
    expect(added.key).toMatchObject({ name: 'Office USB key', type: 'usb', lastUsedAt: null });
    expect(added.backupCodes).toHaveLength(10);
    expect(keys().registration).toMatchObject({
      step: 'backup_codes',
      options: null,
      added: { name: 'Office USB key' },
    });
    expect(state().twoFactor.status).toEqual({ enabled: true, totp: false, securityKeys: 1, backupCodesRemaining: 10 });
    expect(keys().items?.map((key) => key.name)).toEqual(['Office USB key']);

    keys().closeRegistration();
    const everything = JSON.stringify(state());
    for (const code of added.backupCodes ?? []) expect(everything).not.toContain(code);
  });

  it('asks the browser for the chosen kind of authenticator, excluding keys already added', async () => {
    webauthn.current = webauthn.authenticator(false);
    await upToPrompt('USB key', 'usb');
    await keys().register();
    keys().closeRegistration();
    const usbRequest = webauthn.requests.at(-1)?.publicKey;
    expect(usbRequest).toMatchObject({
      hints: ['security-key'],
      authenticatorSelection: { authenticatorAttachment: 'cross-platform' },
      attestation: 'none',
      rp: { id: 'localhost' },
    });

    webauthn.current = webauthn.authenticator(true);
    await upToPrompt('Laptop fingerprint', 'platform');
    const second = await keys().register();
    expect(second.backupCodes).toBeNull();
    expect(keys().registration).toBeNull(); // nothing left to show: the dialog is done
    expect(second.key).toMatchObject({ type: 'platform', passkey: true });
    const platformRequest = webauthn.requests.at(-1)?.publicKey;
    expect(platformRequest).toMatchObject({
      hints: ['client-device'],
      authenticatorSelection: { authenticatorAttachment: 'platform' },
    });
    expect(platformRequest?.excludeCredentials).toEqual([expect.objectContaining({ type: 'public-key' })]);
    expect(keys().items?.map((key) => [key.name, key.type])).toEqual([
      ['USB key', 'usb'],
      ['Laptop fingerprint', 'platform'],
    ]);
  });

  it('a cancelled prompt keeps the step and its options, so trying again works', async () => {
    await upToPrompt('USB key');
    const options = keys().registration?.options;
    webauthn.current = webauthn.authenticator(false);
    webauthn.failNextWith = 'NotAllowedError';
    await expect(keys().register()).rejects.toMatchObject({
      status: 0,
      code: 'registration_cancelled',
      message: CEREMONY_MESSAGES.registration_cancelled,
    });
    expect(keys().registration).toMatchObject({ step: 'kind', options });
    webauthn.failNextWith = 'AbortError';
    await expect(keys().register()).rejects.toMatchObject({ code: 'registration_cancelled' });
    await keys().register();
    expect(keys().items).toHaveLength(1);
  });

  it('a key already added: refused by the browser in words, and by the server (409) back to the password', async () => {
    const usb = webauthn.authenticator(false);
    webauthn.current = usb;
    await upToPrompt('USB key');
    await keys().register();
    keys().closeRegistration();

    await upToPrompt('Same key');
    await expect(keys().register()).rejects.toMatchObject({
      code: 'already_registered',
      message: CEREMONY_MESSAGES.already_registered,
    });
    expect(keys().registration?.step).toBe('kind');

    // An authenticator that ignores excludeCredentials: the server refuses the duplicate, and
    // its challenge is spent, so a new attempt starts again from the password.
    webauthn.honourExcludeCredentials = false;
    await expect(keys().register()).rejects.toMatchObject({ status: 409, code: 'key_already_registered' });
    expect(keys().registration).toMatchObject({
      step: 'password',
      options: null,
      name: 'Same key',
      restartReason: expect.stringMatching(/already registered/),
    });
    expect(keys().items).toHaveLength(1);
  });

  it('refuses an empty or over-long name before any prompt', async () => {
    expect(keyNameProblem('   ')).toMatch(/Enter a name/);
    expect(keyNameProblem('x'.repeat(65))).toMatch(/at most 64/);
    expect(keyNameProblem('🔑'.repeat(64))).toBeNull();
    await upToPrompt('   ');
    await expect(keys().register()).rejects.toMatchObject({ code: 'invalid_name' });
    expect(webauthn.requests).toHaveLength(0);
  });

  it('knows whether this device has a fingerprint reader, and refuses that choice without one', async () => {
    webauthn.platformAuthenticator = false;
    keys().openRegistration();
    await expect.poll(() => keys().platformAuthenticator).toBe(false);
    await keys().confirmPassword(PASSWORD);
    keys().setName('Fingerprint');
    keys().setKind('platform');
    await expect(keys().register()).rejects.toMatchObject({ code: 'no_platform_authenticator' });
    webauthn.platformAuthenticator = true;
    keys().openRegistration();
    await expect.poll(() => keys().platformAuthenticator).toBe(true);
  });

  it('keeps nothing when the dialog closes while the password is being checked', async () => {
    keys().openRegistration();
    const pending = keys().confirmPassword(PASSWORD);
    keys().closeRegistration();
    await pending;
    expect(keys().registration).toBeNull();
  });
});

describe('rename and remove', () => {
  it('renames, removes with the password; the last key takes the backup codes with it', async () => {
    webauthn.current = webauthn.authenticator(false);
    await upToPrompt('USB key');
    const { key } = await keys().register();
    keys().closeRegistration();
    await state().events.load();

    await expect(keys().rename(key.id, ' ')).rejects.toMatchObject({ code: 'invalid_name' });
    expect((await keys().rename(key.id, 'Desk key')).name).toBe('Desk key');
    expect(keys().items?.[0]?.name).toBe('Desk key');
    expect(state().events.items?.[0]?.type).toBe('security_key_renamed');

    await expect(keys().remove(key.id, 'wrong password')).rejects.toMatchObject({ code: 'invalid_password' });
    await keys().remove(key.id, PASSWORD);
    expect(keys().items).toEqual([]);
    expect(state().twoFactor.status).toEqual({ enabled: false, totp: false, securityKeys: 0, backupCodesRemaining: 0 });
    expect(state().events.items?.[0]?.type).toBe('security_key_removed');
    await expect(keys().remove(key.id, PASSWORD)).rejects.toMatchObject({ status: 404, code: 'not_found' });
  });
});

describe('signing in with a key', () => {
  async function withKey(userVerifying: boolean) {
    const authenticator = webauthn.authenticator(userVerifying);
    webauthn.current = authenticator;
    await upToPrompt('Key', userVerifying ? 'platform' : 'usb');
    const { backupCodes } = await keys().register();
    keys().closeRegistration();
    await state().session.signOut();
    return { authenticator, backupCodes: backupCodes ?? [] };
  }

  it('"Use your security key" completes the second step; a cancelled prompt can be tried again', async () => {
    await withKey(false);
    await state().session.signIn('alice', PASSWORD);
    expect(state().session.challenge?.methods).toEqual(['security_key', 'backup_code']);
    webauthn.failNextWith = 'NotAllowedError';
    await expect(state().session.signInWithSecurityKey()).rejects.toMatchObject({
      code: 'second_factor_cancelled',
      message: CEREMONY_MESSAGES.second_factor_cancelled,
    });
    expect(state().session.status).toBe('second_factor');
    await state().session.signInWithSecurityKey();
    expect(state().session).toMatchObject({ status: 'signed_in', username: 'alice' });
    expect(state().twoFactor.status?.securityKeys).toBe(1);
  });

  it("a key that is not the account's is refused in the browser; a bad answer by the server, in its words", async () => {
    const { authenticator } = await withKey(false);
    await state().session.signIn('alice', PASSWORD);
    webauthn.current = webauthn.authenticator(false); // another key, not on the list
    await expect(state().session.signInWithSecurityKey()).rejects.toMatchObject({ code: 'second_factor_cancelled' });
    // The right key: accepted (counter 1); then a copy of it that answers with the same counter.
    webauthn.current = authenticator;
    await state().session.signInWithSecurityKey();
    await state().session.signOut();
    await state().session.signIn('alice', PASSWORD);
    const original = authenticator.assert.bind(authenticator);
    authenticator.assert = (request) => original(request, 1);
    await expect(state().session.signInWithSecurityKey()).rejects.toMatchObject({
      status: 401,
      code: 'invalid_credential',
      message: expect.stringMatching(/counter went backwards/),
    });
    expect(state().session.status).toBe('second_factor');
  });

  it('an account with keys only signs in with a backup code too', async () => {
    const { backupCodes } = await withKey(false);
    await state().session.signIn('alice', PASSWORD);
    await state().session.verify(backupCodes[0] ?? '');
    expect(state().session.status).toBe('signed_in');
    expect(state().twoFactor.status?.backupCodesRemaining).toBe(9);
  });

  it('a passkey signs in without a username; a cancelled prompt and an unknown passkey say so', async () => {
    const { authenticator } = await withKey(true);
    webauthn.failNextWith = 'NotAllowedError';
    await expect(state().session.signInWithPasskey()).rejects.toMatchObject({ code: 'passkey_cancelled' });
    await state().session.signInWithPasskey();
    expect(state().session).toMatchObject({ status: 'signed_in', username: 'alice' });
    const passkeyRequest = webauthn.requests.at(-1)?.publicKey;
    expect(passkeyRequest).toMatchObject({ userVerification: 'required', rpId: 'localhost' });
    expect(passkeyRequest?.allowCredentials ?? []).toEqual([]);

    await keys().load();
    await keys().remove(keys().items?.[0]?.id ?? '', PASSWORD);
    await state().session.signOut();
    webauthn.current = authenticator; // still holds the credential the server forgot
    await expect(state().session.signInWithPasskey()).rejects.toMatchObject({
      status: 401,
      code: 'invalid_credential',
      message: expect.stringMatching(/passkey is not registered/),
    });
    expect(state().session.status).toBe('signed_out');
  });

  it('without WebAuthn in the browser, the prompt says so', async () => {
    await state().session.signOut();
    webauthn.uninstall();
    try {
      await expect(state().session.signInWithPasskey()).rejects.toMatchObject({
        code: 'unsupported',
        message: CEREMONY_MESSAGES.unsupported,
      });
    } finally {
      webauthn = new FakeWebAuthn(server.origin);
    }
  });
});
