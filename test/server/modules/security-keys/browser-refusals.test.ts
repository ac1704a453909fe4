// Passkey sign-in, and every refusal of a WebAuthn answer, in Debian's Chromium with virtual
// authenticators. Each refusal is asserted on its own sentence (the code stays
// invalid_credential), and after each one the real key still signs in.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachBackend } from '../../../support/backends.js';
import { REFUSAL_MESSAGES, type CredentialRefusal } from '../../../../server/modules/security-keys/refusals.js';
import { PASSWORD, startTestServer, type TestServer } from '../../../support/test-server.js';
import {
  FINGERPRINT_READER,
  produced,
  TestBrowser,
  USB_KEY,
  type PageResponse,
  type WebAuthnPage,
} from '../../../support/webauthn-browser.js';
import {
  addKey,
  createAccount,
  eventTypes,
  keyAssertion,
  passkeyAssertion,
  passwordStep,
  signInWithKey,
  signOut,
} from './browser-flows.js';

describeEachBackend('security-key refusals in Chromium', (backend) => {
  let server: TestServer;
  let otherServer: TestServer;
  let browser: TestBrowser;
  let page: WebAuthnPage;
  let usb: string;
  let fingerprint: string;
  /** Alice's USB credential id, as the virtual authenticator names it (base64). */
  let aliceUsbCredential: string;
  /** Bob's USB credential id, as the browser names it (base64url). */
  let bobUsbCredential: string;
  let aliceFingerprintKeyId: string;

  function expectRefused(answer: PageResponse, reason: CredentialRefusal, status = 401): void {
    expect(answer.status, JSON.stringify(answer.json)).toBe(status);
    expect(answer.json.error).toEqual({ code: 'invalid_credential', message: REFUSAL_MESSAGES[reason] });
  }

  /** Alice signs in with her fingerprint passkey: proves the refusal left her real key working. */
  async function passkeySignIn(): Promise<PageResponse> {
    const credential = await passkeyAssertion(page, fingerprint);
    return page.api('POST', '/api/v1/session/passkey', { credential });
  }

  beforeAll(async () => {
    server = await startTestServer({ backend });
    otherServer = await startTestServer({ backend });
    browser = await TestBrowser.launch();
    page = await browser.open(server.origin);
    usb = await page.addAuthenticator(USB_KEY);
    fingerprint = await page.addAuthenticator(FINGERPRINT_READER);

    await createAccount(page, 'alice');
    expect((await addKey(page, usb, 'Alice USB', 'cross-platform')).status).toBe(201);
    aliceUsbCredential = (await page.credentials(usb))[0]!.credentialId;
    const added = await addKey(page, fingerprint, 'Alice fingerprint', 'platform');
    expect(added.json.key.passkey).toBe(true);
    aliceFingerprintKeyId = added.json.key.id;
    await signOut(page);

    await createAccount(page, 'bob');
    const bobOptions = await page.api('POST', '/api/v1/me/security-keys/options', { password: PASSWORD });
    await page.use(usb);
    const bobCredential = produced(await page.create(bobOptions.json.options));
    bobUsbCredential = bobCredential.id;
    expect(
      (await page.api('POST', '/api/v1/me/security-keys', { name: 'Bob USB', credential: bobCredential })).status,
    ).toBe(201);
    await signOut(page);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await otherServer?.close();
  });

  describe('passkey sign-in', () => {
    it('signs in with a discoverable credential and user verification, no username or password', async () => {
      const options = await page.api('POST', '/api/v1/session/passkey/options', {});
      expect(options.status).toBe(200);
      expect(options.json.options).toMatchObject({ rpId: 'localhost', userVerification: 'required' });
      expect(options.json.options.allowCredentials).toBeUndefined();

      const signedIn = await passkeySignIn();
      expect(signedIn.json).toEqual({ status: 'signed_in', username: 'alice' });
      const me = await page.api('GET', '/api/v1/me');
      expect(me.json.username).toBe('alice');
      expect((await eventTypes(page))[0]).toBe('signed_in');
      const keys = (await page.api('GET', '/api/v1/me/security-keys')).json.keys as {
        id: string;
        lastUsedAt: string;
      }[];
      expect(keys.find((key) => key.id === aliceFingerprintKeyId)?.lastUsedAt).not.toBeNull();
    });

    it('refuses a replayed passkey answer: its challenge was already used', async () => {
      await signOut(page);
      const credential = await passkeyAssertion(page, fingerprint);
      expect((await page.api('POST', '/api/v1/session/passkey', { credential })).status).toBe(200);
      await signOut(page);
      expectRefused(await page.api('POST', '/api/v1/session/passkey', { credential }), 'challenge_used');
      expect((await page.api('GET', '/api/v1/me')).status).toBe(401);
      expect((await passkeySignIn()).status).toBe(200);
    });

    it('refuses a passkey without user verification, even when the client asks for none', async () => {
      await signOut(page);
      await page.setUserVerified(fingerprint, false);
      try {
        // Chromium itself will not answer a request that requires user verification it cannot do…
        const options = await page.api('POST', '/api/v1/session/passkey/options', {});
        await page.use(fingerprint);
        expect(await page.get(options.json.options)).toMatchObject({
          ok: false,
          error: expect.stringMatching(/NotAllowed/),
        });
        // …so a client that drops the requirement is what the server must catch on its own.
        const credential = await passkeyAssertion(page, fingerprint, (json) => ({
          ...json,
          userVerification: 'discouraged',
        }));
        expectRefused(await page.api('POST', '/api/v1/session/passkey', { credential }), 'user_verification_missing');
      } finally {
        await page.setUserVerified(fingerprint, true);
      }
      expect((await passkeySignIn()).status).toBe(200);
      expect((await eventTypes(page)).slice(0, 2)).toEqual(['signed_in', 'sign_in_failed']);
    });

    it('refuses an expired challenge (more than 5 minutes by the server clock)', async () => {
      await signOut(page);
      const options = await page.api('POST', '/api/v1/session/passkey/options', {});
      server.clock.advanceSeconds(5 * 60 + 1);
      await page.use(fingerprint);
      const credential = produced(await page.get(options.json.options));
      expectRefused(await page.api('POST', '/api/v1/session/passkey', { credential }), 'challenge_expired');
      expect((await passkeySignIn()).status).toBe(200);
    });

    it('an expired registration challenge is refused too', async () => {
      const options = await page.api('POST', '/api/v1/me/security-keys/options', { password: PASSWORD });
      server.clock.advanceSeconds(5 * 60 + 1);
      const spare = await page.addAuthenticator(USB_KEY);
      await page.use(spare);
      const credential = produced(await page.create(options.json.options));
      expectRefused(
        await page.api('POST', '/api/v1/me/security-keys', { name: 'Late', credential }),
        'challenge_expired',
        400,
      );
      expect((await page.api('GET', '/api/v1/me')).json.twoFactor.securityKeys).toBe(2);
    });

    it('answers 429 while the account is locked, whatever the passkey', async () => {
      await signOut(page);
      for (let attempt = 0; attempt < 5; attempt += 1) {
        const wrong = await page.api('POST', '/api/v1/session', { username: 'alice', password: 'wrong password!' });
        expect(wrong.status).toBe(401);
      }
      const locked = await passkeySignIn();
      expect(locked.status).toBe(429);
      expect(locked.json.error.code).toBe('too_many_attempts');
      server.clock.advanceSeconds(61);
      expect((await passkeySignIn()).json).toEqual({ status: 'signed_in', username: 'alice' });
    });
  });

  describe('second-factor refusals', () => {
    it('refuses a replayed assertion with a new ticket: its challenge belongs to another sign-in', async () => {
      await signOut(page);
      const firstTicket = await passwordStep(page, 'alice');
      const credential = await keyAssertion(page, usb, firstTicket);
      expect((await page.api('POST', '/api/v1/session/security-key', { ticket: firstTicket, credential })).status).toBe(
        200,
      );
      await signOut(page);

      const secondTicket = await passwordStep(page, 'alice');
      expectRefused(
        await page.api('POST', '/api/v1/session/security-key', { ticket: secondTicket, credential }),
        'unknown_challenge',
      );
      const spentTicket = await page.api('POST', '/api/v1/session/security-key', { ticket: firstTicket, credential });
      expect(spentTicket.json.error.code).toBe('invalid_ticket');
      // The refusal counted as a wrong second factor; the ticket lives on for a real answer.
      const retry = await keyAssertion(page, usb, secondTicket);
      expect(
        (await page.api('POST', '/api/v1/session/security-key', { ticket: secondTicket, credential: retry })).json,
      ).toEqual({
        status: 'signed_in',
        username: 'alice',
      });
      expect(await eventTypes(page)).toContain('second_factor_failed');
    });

    it('refuses a response made on another origin (a second Latchkey server on another port)', async () => {
      await signOut(page);
      const ticket = await passwordStep(page, 'alice');
      const options = await page.api('POST', '/api/v1/session/security-key/options', { ticket });
      await page.goto(otherServer.origin);
      try {
        await page.use(usb);
        // Same RP ID (localhost), so the key answers; clientDataJSON names the other origin.
        const credential = produced(await page.get(options.json.options));
        await page.goto(server.origin);
        expectRefused(await page.api('POST', '/api/v1/session/security-key', { ticket, credential }), 'wrong_origin');
        // The same answer a second time: the challenge was spent by the first try.
        expectRefused(await page.api('POST', '/api/v1/session/security-key', { ticket, credential }), 'challenge_used');
      } finally {
        await page.goto(server.origin);
      }
      expect((await signInWithKey(page, 'alice', usb)).status).toBe(200);
    });

    it('refuses a signature counter that went backwards (a cloned key)', async () => {
      await signOut(page);
      await page.setSignCount(usb, aliceUsbCredential, 0);
      const ticket = await passwordStep(page, 'alice');
      const credential = await keyAssertion(page, usb, ticket);
      expectRefused(
        await page.api('POST', '/api/v1/session/security-key', { ticket, credential }),
        'counter_regression',
      );
      // The key's stored counter did not move back.
      await page.setSignCount(usb, aliceUsbCredential, 1000);
      expect((await signInWithKey(page, 'alice', usb)).status).toBe(200);
    });

    it("refuses another account's credential", async () => {
      await signOut(page);
      const ticket = await passwordStep(page, 'alice');
      const options = await page.api('POST', '/api/v1/session/security-key/options', { ticket });
      await page.use(usb);
      const bobsAnswer = produced(
        await page.get({ ...options.json.options, allowCredentials: [{ id: bobUsbCredential, type: 'public-key' }] }),
      );
      expect(bobsAnswer.id).toBe(bobUsbCredential);
      expectRefused(
        await page.api('POST', '/api/v1/session/security-key', { ticket, credential: bobsAnswer }),
        'unknown_key',
      );
      expect((await signInWithKey(page, 'alice', usb)).status).toBe(200);
    });

    it('a removed key no longer signs in, as a second factor or as a passkey', async () => {
      const removed = await page.api('DELETE', `/api/v1/me/security-keys/${aliceFingerprintKeyId}`, {
        password: PASSWORD,
      });
      expect(removed.status).toBe(204);
      await signOut(page);
      const credential = await passkeyAssertion(page, fingerprint);
      expectRefused(await page.api('POST', '/api/v1/session/passkey', { credential }), 'unknown_passkey');

      const ticket = await passwordStep(page, 'alice');
      const options = await page.api('POST', '/api/v1/session/security-key/options', { ticket });
      expect(options.json.options.allowCredentials).toHaveLength(1);
      const fingerprintCredential = (await page.credentials(fingerprint))[0]!.credentialId;
      await page.use(fingerprint);
      const stale = produced(
        await page.get({
          ...options.json.options,
          allowCredentials: [
            { id: Buffer.from(fingerprintCredential, 'base64').toString('base64url'), type: 'public-key' },
          ],
        }),
      );
      expectRefused(
        await page.api('POST', '/api/v1/session/security-key', { ticket, credential: stale }),
        'unknown_key',
      );
    });
  });
});
