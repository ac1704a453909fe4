import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachBackend } from '../../../support/backends.js';
import {
  enableTotp,
  PASSWORD,
  signedInClient,
  startTestServer,
  totpCode,
  type TestServer,
} from '../../../support/test-server.js';

describeEachBackend('TOTP set-up, enable and disable', (backend) => {
  let server: TestServer;
  beforeEach(async () => {
    server = await startTestServer({ backend });
  });
  afterEach(() => server.close());

  it('sets up with the password: secret, key URI and an SVG QR code, pending until enabled', async () => {
    const client = await signedInClient(server);
    const setup = await client.post('/api/v1/me/totp/setup', { password: PASSWORD });
    expect(setup.status).toBe(200);
    expect(setup.json.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(setup.json.otpauthUri).toBe(
      `otpauth://totp/Latchkey:alice?secret=${setup.json.secret}&issuer=Latchkey&algorithm=SHA1&digits=6&period=30`,
    );
    expect(setup.json.qrCodeSvg).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(Date.parse(setup.json.expiresAt)).toBeGreaterThan(server.clock.now());
    const me = await client.get('/api/v1/me');
    expect(me.json.twoFactor).toEqual({ enabled: false, totp: false, securityKeys: 0, backupCodesRemaining: 0 });
  });

  it('uses the configured issuer', async () => {
    const custom = await startTestServer({ backend, args: ['--issuer', 'Acme IT'] });
    try {
      const client = await signedInClient(custom);
      const setup = await client.post('/api/v1/me/totp/setup', { password: PASSWORD });
      expect(setup.json.otpauthUri).toMatch(/^otpauth:\/\/totp\/Acme%20IT:alice\?/);
      expect(setup.json.otpauthUri).toContain('issuer=Acme%20IT');
    } finally {
      await custom.close();
    }
  });

  it('asks for the password again: a wrong one is 401 invalid_password', async () => {
    const client = await signedInClient(server);
    const response = await client.post('/api/v1/me/totp/setup', { password: 'wrong password' });
    expect(response.status).toBe(401);
    expect(response.json.error.code).toBe('invalid_password');
  });

  it('enables with a code from the new secret and returns ten distinct backup codes', async () => {
    const client = await signedInClient(server);
    const setup = await client.post('/api/v1/me/totp/setup', { password: PASSWORD });
    const wrong = await client.post('/api/v1/me/totp/enable', { code: '000000' });
    expect(wrong.status).toBe(401);
    expect(wrong.json.error.code).toBe('invalid_code');
    const enabled = await client.post('/api/v1/me/totp/enable', { code: totpCode(setup.json.secret, server.clock) });
    expect(enabled.status).toBe(200);
    expect(enabled.json.backupCodes).toHaveLength(10);
    expect(new Set(enabled.json.backupCodes).size).toBe(10);
    for (const code of enabled.json.backupCodes) expect(code).toMatch(/^[a-z0-9]{5}-[a-z0-9]{5}$/);
    const me = await client.get('/api/v1/me');
    expect(me.json.twoFactor).toEqual({ enabled: true, totp: true, securityKeys: 0, backupCodesRemaining: 10 });
  });

  it('answers 409 totp_already_enabled to a second set-up, and 409 no_pending_setup without one', async () => {
    const client = await signedInClient(server);
    const none = await client.post('/api/v1/me/totp/enable', { code: '123456' });
    expect(none.status).toBe(409);
    expect(none.json.error.code).toBe('no_pending_setup');
    await enableTotp(server, client);
    const again = await client.post('/api/v1/me/totp/setup', { password: PASSWORD });
    expect(again.status).toBe(409);
    expect(again.json.error.code).toBe('totp_already_enabled');
  });

  it('lets a pending set-up expire', async () => {
    const client = await signedInClient(server);
    const setup = await client.post('/api/v1/me/totp/setup', { password: PASSWORD });
    server.clock.advanceSeconds(11 * 60);
    const late = await client.post('/api/v1/me/totp/enable', { code: totpCode(setup.json.secret, server.clock) });
    expect(late.status).toBe(409);
    expect(late.json.error.code).toBe('no_pending_setup');
  });

  it('replaces an earlier pending secret when set-up starts again', async () => {
    const client = await signedInClient(server);
    const first = await client.post('/api/v1/me/totp/setup', { password: PASSWORD });
    const second = await client.post('/api/v1/me/totp/setup', { password: PASSWORD });
    expect(second.json.secret).not.toBe(first.json.secret);
    const stale = await client.post('/api/v1/me/totp/enable', { code: totpCode(first.json.secret, server.clock) });
    expect(stale.json.error.code).toBe('invalid_code');
    const fresh = await client.post('/api/v1/me/totp/enable', { code: totpCode(second.json.secret, server.clock) });
    expect(fresh.status).toBe(200);
  });

  it('disables with the password: two-factor off, backup codes gone, password alone signs in', async () => {
    const client = await signedInClient(server);
    const { backupCodes } = await enableTotp(server, client);
    const wrong = await client.post('/api/v1/me/totp/disable', { password: 'not it at all' });
    expect(wrong.json.error.code).toBe('invalid_password');
    const disabled = await client.post('/api/v1/me/totp/disable', { password: PASSWORD });
    expect(disabled.status).toBe(200);
    expect(disabled.json.twoFactor).toEqual({ enabled: false, totp: false, securityKeys: 0, backupCodesRemaining: 0 });
    const again = await client.post('/api/v1/me/totp/disable', { password: PASSWORD });
    expect(again.status).toBe(409);
    expect(again.json.error.code).toBe('totp_not_enabled');
    const fresh = server.client();
    const signIn = await fresh.post('/api/v1/session', { username: 'alice', password: PASSWORD });
    expect(signIn.json.status).toBe('signed_in');
    const regenerate = await fresh.post('/api/v1/me/backup-codes', { password: PASSWORD });
    expect(regenerate.status).toBe(409);
    expect(regenerate.json.error.code).toBe('two_factor_off');
    expect(backupCodes).toHaveLength(10);
  });

  it('needs a session for every /me endpoint', async () => {
    const client = server.client();
    for (const [method, path, body] of [
      ['GET', '/api/v1/me', undefined],
      ['GET', '/api/v1/me/events', undefined],
      ['POST', '/api/v1/me/totp/setup', { password: PASSWORD }],
      ['POST', '/api/v1/me/totp/enable', { code: '123456' }],
      ['POST', '/api/v1/me/totp/disable', { password: PASSWORD }],
      ['POST', '/api/v1/me/backup-codes', { password: PASSWORD }],
    ] as const) {
      const response = await client.send(method, path, body === undefined ? {} : { json: body });
      expect(response.status, `${method} ${path}`).toBe(401);
      expect(response.json.error.code).toBe('unauthenticated');
    }
  });
});
