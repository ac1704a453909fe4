// Security keys end to end in Debian's Chromium: a USB key and a fingerprint reader (virtual
// authenticators through the DevTools protocol) are added, used as the second factor, renamed
// and removed; TOTP still works beside them; an account with keys only gets backup codes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachBackend } from '../../../support/backends.js';
import { PASSWORD, startTestServer, totpCode, type TestServer } from '../../../support/test-server.js';
import { FINGERPRINT_READER, TestBrowser, USB_KEY, type WebAuthnPage } from '../../../support/webauthn-browser.js';
import { addKey, createAccount, eventTypes, passwordStep, signInWithKey, signOut } from './browser-flows.js';

describeEachBackend('security keys in Chromium', (backend) => {
  let server: TestServer;
  let browser: TestBrowser;
  let page: WebAuthnPage;
  let usb: string;
  let fingerprint: string;
  const keyIds: { usb?: string; fingerprint?: string } = {};

  beforeAll(async () => {
    server = await startTestServer({ backend });
    browser = await TestBrowser.launch();
    page = await browser.open(server.origin);
    usb = await page.addAuthenticator(USB_KEY);
    fingerprint = await page.addAuthenticator(FINGERPRINT_READER);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  describe('security keys as the second factor, in Chromium', () => {
    it('adds a USB key (first factor: ten backup codes) and a fingerprint reader', async () => {
      await createAccount(page, 'alice');
      const options = await page.api('POST', '/api/v1/me/security-keys/options', {
        password: PASSWORD,
        attachment: 'cross-platform',
      });
      expect(options.json.options).toMatchObject({
        rp: { id: 'localhost', name: 'Latchkey' },
        user: { name: 'alice' },
        attestation: 'none',
        hints: ['security-key'],
        excludeCredentials: [],
        authenticatorSelection: {
          authenticatorAttachment: 'cross-platform',
          residentKey: 'preferred',
          userVerification: 'preferred',
        },
      });

      const usbAdded = await addKey(page, usb, 'Office USB key', 'cross-platform');
      expect(usbAdded.status, JSON.stringify(usbAdded.json)).toBe(201);
      expect(usbAdded.json.key).toMatchObject({
        name: 'Office USB key',
        type: 'usb',
        lastUsedAt: null,
        passkey: false,
      });
      expect(usbAdded.json.backupCodes).toHaveLength(10);
      keyIds.usb = usbAdded.json.key.id;

      const platformOptions = await page.api('POST', '/api/v1/me/security-keys/options', {
        password: PASSWORD,
        attachment: 'platform',
      });
      expect(platformOptions.json.options.hints).toEqual(['client-device']);
      expect(platformOptions.json.options.authenticatorSelection.authenticatorAttachment).toBe('platform');
      const [usbCredential] = await page.credentials(usb);
      expect(platformOptions.json.options.excludeCredentials).toEqual([
        {
          id: Buffer.from(usbCredential!.credentialId, 'base64').toString('base64url'),
          type: 'public-key',
          transports: ['usb'],
        },
      ]);

      const fingerprintAdded = await addKey(page, fingerprint, 'Laptop fingerprint', 'platform');
      expect(fingerprintAdded.status, JSON.stringify(fingerprintAdded.json)).toBe(201);
      // Registered with user verification as a resident credential: it can also be a passkey.
      expect(fingerprintAdded.json.key).toMatchObject({ name: 'Laptop fingerprint', type: 'platform', passkey: true });
      expect(fingerprintAdded.json.backupCodes).toBeNull();
      keyIds.fingerprint = fingerprintAdded.json.key.id;

      const me = await page.api('GET', '/api/v1/me');
      expect(me.json.twoFactor).toEqual({ enabled: true, totp: false, securityKeys: 2, backupCodesRemaining: 10 });
      const list = await page.api('GET', '/api/v1/me/security-keys');
      expect(list.json.keys.map((key: { name: string; type: string }) => [key.name, key.type])).toEqual([
        ['Office USB key', 'usb'],
        ['Laptop fingerprint', 'platform'],
      ]);
      const events = await eventTypes(page);
      expect(events.filter((type) => type === 'security_key_added')).toHaveLength(2);
      expect(events).toContain('backup_codes_generated');
    });

    it('a key that is already registered is excluded by the browser itself', async () => {
      const options = await page.api('POST', '/api/v1/me/security-keys/options', { password: PASSWORD });
      expect(options.json.options.excludeCredentials).toHaveLength(2);
      await page.use(usb);
      const again = await page.create(options.json.options);
      expect(again).toMatchObject({ ok: false, error: expect.stringMatching(/InvalidStateError/) });
    });

    it('signs in with the USB key, then with the fingerprint reader, as the second factor', async () => {
      await signOut(page);
      const answer = await page.api('POST', '/api/v1/session', { username: 'alice', password: PASSWORD });
      expect(answer.json.methods).toEqual(['security_key', 'backup_code']);
      const options = await page.api('POST', '/api/v1/session/security-key/options', { ticket: answer.json.ticket });
      expect(options.json.options).toMatchObject({ rpId: 'localhost', userVerification: 'discouraged' });
      expect(options.json.options.allowCredentials).toHaveLength(2);

      server.clock.advanceSeconds(60);
      const withUsb = await signInWithKey(page, 'alice', usb);
      expect(withUsb.json).toEqual({ status: 'signed_in', username: 'alice' });
      expect((await page.api('GET', '/api/v1/me')).status).toBe(200);
      const afterUsb = await page.api('GET', '/api/v1/me/security-keys');
      const usbKey = afterUsb.json.keys.find((key: { id: string }) => key.id === keyIds.usb);
      expect(usbKey.lastUsedAt).toBe(new Date(server.clock.now()).toISOString());

      await signOut(page);
      const withFingerprint = await signInWithKey(page, 'alice', fingerprint);
      expect(withFingerprint.json).toEqual({ status: 'signed_in', username: 'alice' });
      const afterFingerprint = await page.api('GET', '/api/v1/me/security-keys');
      expect(afterFingerprint.json.keys.every((key: { lastUsedAt: string | null }) => key.lastUsedAt !== null)).toBe(
        true,
      );
      expect((await eventTypes(page)).filter((type) => type === 'signed_in').length).toBeGreaterThanOrEqual(3);
    });

    it('renames a key; another account gets 404 for it', async () => {
      const renamed = await page.api('PATCH', `/api/v1/me/security-keys/${keyIds.usb}`, { name: '  Blue YubiKey ' });
      expect(renamed.status).toBe(200);
      expect(renamed.json.key).toMatchObject({ id: keyIds.usb, name: 'Blue YubiKey', type: 'usb' });
      expect((await eventTypes(page))[0]).toBe('security_key_renamed');
      const blank = await page.api('PATCH', `/api/v1/me/security-keys/${keyIds.usb}`, { name: '   ' });
      expect(blank.status).toBe(400);
      expect(blank.json.error.code).toBe('invalid_name');

      const bob = server.client();
      await bob.post('/api/v1/accounts', { username: 'bob', password: PASSWORD });
      await bob.post('/api/v1/session', { username: 'bob', password: PASSWORD });
      const foreign = await bob.patch(`/api/v1/me/security-keys/${keyIds.usb}`, { name: 'mine now' });
      expect(foreign.status).toBe(404);
      expect(foreign.json.error.code).toBe('not_found');
      const foreignDelete = await bob.delete(`/api/v1/me/security-keys/${keyIds.usb}`, { password: PASSWORD });
      expect(foreignDelete.status).toBe(404);
      expect((await page.api('GET', '/api/v1/me/security-keys')).json.keys[0].name).toBe('Blue YubiKey');
    });

    it('falls back to an authenticator-app code while keys exist, and removes keys with the password', async () => {
      const setup = await page.api('POST', '/api/v1/me/totp/setup', { password: PASSWORD });
      const enabled = await page.api('POST', '/api/v1/me/totp/enable', {
        code: totpCode(setup.json.secret, server.clock),
      });
      expect(enabled.json).toEqual({ backupCodes: null }); // two-factor was already on
      server.clock.advanceSeconds(30);

      await signOut(page);
      const ticket = await passwordStep(page, 'alice');
      const answer = await page.api('POST', '/api/v1/session', { username: 'alice', password: PASSWORD });
      expect(answer.json.methods).toEqual(['totp', 'security_key', 'backup_code']);
      const withCode = await page.api('POST', '/api/v1/session/totp', {
        ticket,
        code: totpCode(setup.json.secret, server.clock),
      });
      expect(withCode.json).toEqual({ status: 'signed_in', username: 'alice' });

      const wrongPassword = await page.api('DELETE', `/api/v1/me/security-keys/${keyIds.usb}`, {
        password: 'not the password',
      });
      expect(wrongPassword.status).toBe(401);
      expect(wrongPassword.json.error.code).toBe('invalid_password');
      for (const id of [keyIds.usb, keyIds.fingerprint]) {
        expect((await page.api('DELETE', `/api/v1/me/security-keys/${id}`, { password: PASSWORD })).status).toBe(204);
      }
      expect((await page.api('DELETE', `/api/v1/me/security-keys/${keyIds.usb}`, { password: PASSWORD })).status).toBe(
        404,
      );
      // TOTP is still on, so two-factor stays on and the backup codes stay.
      const me = await page.api('GET', '/api/v1/me');
      expect(me.json.twoFactor).toEqual({ enabled: true, totp: true, securityKeys: 0, backupCodesRemaining: 10 });
      expect((await eventTypes(page)).slice(0, 2)).toEqual(['security_key_removed', 'security_key_removed']);

      await signOut(page);
      const keyless = await page.api('POST', '/api/v1/session', { username: 'alice', password: PASSWORD });
      expect(keyless.json.methods).toEqual(['totp', 'backup_code']);
      const noKeys = await page.api('POST', '/api/v1/session/security-key/options', { ticket: keyless.json.ticket });
      expect(noKeys.status).toBe(409);
      expect(noKeys.json.error.code).toBe('no_security_keys');
    });

    it('an account with keys only gets backup codes, can use them, and loses them with its last key', async () => {
      const carol = await browser.open(server.origin);
      const carolKey = await carol.addAuthenticator(USB_KEY);
      try {
        await createAccount(carol, 'carol');
        const added = await addKey(carol, carolKey, 'Keyring key');
        expect(added.status, JSON.stringify(added.json)).toBe(201);
        const backupCodes = added.json.backupCodes as string[];
        expect(backupCodes).toHaveLength(10);
        expect(new Set(backupCodes).size).toBe(10);

        await signOut(carol);
        const ticket = await passwordStep(carol, 'carol');
        const withBackupCode = await carol.api('POST', '/api/v1/session/backup-code', {
          ticket,
          code: backupCodes[3]!.toUpperCase(),
        });
        expect(withBackupCode.json).toEqual({ status: 'signed_in', username: 'carol', backupCodesRemaining: 9 });
        expect((await eventTypes(carol)).slice(0, 2)).toEqual(['signed_in', 'backup_code_used']);

        const removed = await carol.api('DELETE', `/api/v1/me/security-keys/${added.json.key.id}`, {
          password: PASSWORD,
        });
        expect(removed.status).toBe(204);
        const me = await carol.api('GET', '/api/v1/me');
        expect(me.json.twoFactor).toEqual({ enabled: false, totp: false, securityKeys: 0, backupCodesRemaining: 0 });
        await signOut(carol);
        const plain = await carol.api('POST', '/api/v1/session', { username: 'carol', password: PASSWORD });
        expect(plain.json).toEqual({ status: 'signed_in', username: 'carol' });
      } finally {
        await carol.close();
      }
    });
  });
});
