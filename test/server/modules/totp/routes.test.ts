import { expect } from 'vitest';
import { describeEachBackend } from '../../../support/backends.js';
import { enableTotp, PASSWORD, signedInClient, totpCode } from '../../../support/test-server.js';
import { withTestServer } from '../../../support/with-test-server.js';

describeEachBackend('TOTP set-up, enable and disable', (backend) => {
  const it = withTestServer(backend);

  it('sets up with the password: secret, key URI and an SVG QR code, pending until enabled', async ({
    server,
    alice: client,
  }) => {
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

  it('uses the configured issuer', async ({ startServer }) => {
    const custom = await startServer({ args: ['--issuer', 'Acme IT'] });
    const client = await signedInClient(custom);
    const setup = await client.post('/api/v1/me/totp/setup', { password: PASSWORD });
    expect(setup.json.otpauthUri).toMatch(/^otpauth:\/\/totp\/Acme%20IT:alice\?/);
    expect(setup.json.otpauthUri).toContain('issuer=Acme%20IT');
  });

  it('asks for the password again: a wrong one is 401 invalid_password', async ({ alice: client }) => {
    const response = await client.post('/api/v1/me/totp/setup', { password: 'wrong password' });
    expect(response.status).toBe(401);
    expect(response.json.error.code).toBe('invalid_password');
  });

  it('enables with a code from the new secret and returns ten distinct backup codes', async ({
    server,
    alice: client,
  }) => {
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

  it('answers 409 totp_already_enabled to a second set-up, and 409 no_pending_setup without one', async ({
    server,
    alice: client,
  }) => {
    const none = await client.post('/api/v1/me/totp/enable', { code: '123456' });
    expect(none.status).toBe(409);
    expect(none.json.error.code).toBe('no_pending_setup');
    await enableTotp(server, client);
    const again = await client.post('/api/v1/me/totp/setup', { password: PASSWORD });
    expect(again.status).toBe(409);
    expect(again.json.error.code).toBe('totp_already_enabled');
  });

  it('ends a pending set-up after 5 wrong codes, each a second_factor_failed event', async ({
    server,
    alice: client,
  }) => {
    const setup = await client.post('/api/v1/me/totp/setup', { password: PASSWORD });
    const right = totpCode(setup.json.secret, server.clock);
    const wrong = right === '000000' ? '111111' : '000000';
    const messages: string[] = [];
    for (let attempt = 0; attempt < 4; attempt += 1) {
      const answer = await client.post('/api/v1/me/totp/enable', { code: wrong });
      expect(answer.status).toBe(401);
      expect(answer.json.error.code).toBe('invalid_code');
      messages.push(answer.json.error.message);
    }
    expect(messages[0]).toMatch(/4 tries left/);
    expect(messages[3]).toMatch(/1 try left/);
    // The fifth ends the set-up: there is none pending any more.
    const fifth = await client.post('/api/v1/me/totp/enable', { code: wrong });
    expect(fifth.status).toBe(409);
    expect(fifth.json.error).toEqual({
      code: 'no_pending_setup',
      message: expect.stringMatching(/5 wrong codes.*password/),
    });
    const late = await client.post('/api/v1/me/totp/enable', { code: right });
    expect(late.status).toBe(409);
    expect(late.json.error.code).toBe('no_pending_setup');
    const types = (await client.get('/api/v1/me/events')).json.events.map((event: { type: string }) => event.type);
    expect(types.filter((type: string) => type === 'second_factor_failed')).toHaveLength(5);
    // The owner starts again with the password, and the new set-up gets five tries of its own.
    const again = await client.post('/api/v1/me/totp/setup', { password: PASSWORD });
    expect((await client.post('/api/v1/me/totp/enable', { code: wrong })).status).toBe(401);
    const enabled = await client.post('/api/v1/me/totp/enable', { code: totpCode(again.json.secret, server.clock) });
    expect(enabled.status, enabled.text).toBe(200);
  });

  it('checks at most 5 of 300 simultaneous codes against one pending set-up', async ({ alice: client }) => {
    await client.post('/api/v1/me/totp/setup', { password: PASSWORD });
    const answers = await Promise.all(
      Array.from({ length: 300 }, (_, index) =>
        client.post('/api/v1/me/totp/enable', { code: String(100000 + index * 7) }),
      ),
    );
    const codes = answers.map((answer) => (answer.status === 200 ? 'enabled' : answer.json.error.code));
    const judged = codes.filter((code) => code !== 'no_pending_setup').length;
    // Four answered 401; the fifth judged code ended the set-up (409), like the 295 after it.
    expect(judged, codes.join(',')).toBe(4);
    expect(codes.filter((code) => code === 'no_pending_setup')).toHaveLength(296);
    const types = (await client.get('/api/v1/me/events')).json.events.map((event: { type: string }) => event.type);
    expect(types.filter((type: string) => type === 'second_factor_failed')).toHaveLength(5);
  });

  it('lets a pending set-up expire', async ({ server, alice: client }) => {
    const setup = await client.post('/api/v1/me/totp/setup', { password: PASSWORD });
    server.clock.advanceSeconds(11 * 60);
    const late = await client.post('/api/v1/me/totp/enable', { code: totpCode(setup.json.secret, server.clock) });
    expect(late.status).toBe(409);
    expect(late.json.error.code).toBe('no_pending_setup');
  });

  it('replaces an earlier pending secret when set-up starts again', async ({ server, alice: client }) => {
    const first = await client.post('/api/v1/me/totp/setup', { password: PASSWORD });
    const second = await client.post('/api/v1/me/totp/setup', { password: PASSWORD });
    expect(second.json.secret).not.toBe(first.json.secret);
    const stale = await client.post('/api/v1/me/totp/enable', { code: totpCode(first.json.secret, server.clock) });
    expect(stale.json.error.code).toBe('invalid_code');
    const fresh = await client.post('/api/v1/me/totp/enable', { code: totpCode(second.json.secret, server.clock) });
    expect(fresh.status).toBe(200);
  });

  it('disables with the password: two-factor off, backup codes gone, password alone signs in', async ({
    server,
    alice: client,
    aliceTotp: { backupCodes },
  }) => {
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

  it('needs a session for every /me endpoint', async ({ server }) => {
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
