import { expect } from 'vitest';
import { describeEachBackend } from '../../../support/backends.js';
import { PASSWORD, totpCode } from '../../../support/test-server.js';
import { withTestServer } from '../../../support/with-test-server.js';

describeEachBackend('sign-in', (backend) => {
  const it = withTestServer(backend);

  it('signs in with the password alone while two-factor is off, setting an HttpOnly strict cookie', async ({
    server,
  }) => {
    const client = server.client();
    await client.post('/api/v1/accounts', { username: 'alice', password: PASSWORD });
    const response = await client.post('/api/v1/session', { username: 'ALICE', password: PASSWORD });
    expect(response.status).toBe(200);
    expect(response.json).toEqual({ status: 'signed_in', username: 'alice' });
    const cookie = (response.headers['set-cookie'] as string[])[0]!;
    expect(cookie).toMatch(/^latchkey_session=[A-Za-z0-9_-]{43};/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).not.toMatch(/Secure/);
    expect(response.text).not.toContain(client.sessionCookie!);
  });

  it('answers a wrong password and an unknown user with the same status and body', async ({ server }) => {
    const client = server.client();
    await client.post('/api/v1/accounts', { username: 'alice', password: PASSWORD });
    const wrong = await client.post('/api/v1/session', { username: 'alice', password: 'not the password' });
    const unknown = await client.post('/api/v1/session', { username: 'nobody', password: 'not the password' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(unknown.text).toBe(wrong.text);
    expect(wrong.json.error.code).toBe('invalid_credentials');
  });

  it('asks for a second factor with a ticket once TOTP is on, and the code completes it', async ({
    server,
    aliceTotp: { secret },
  }) => {
    server.clock.advanceSeconds(30);
    const client = server.client();
    const first = await client.post('/api/v1/session', { username: 'alice', password: PASSWORD });
    expect(first.json.status).toBe('second_factor_required');
    expect(first.json.methods).toEqual(['totp', 'backup_code']);
    expect(new Date(first.json.expiresAt).getTime()).toBe(server.clock.now() + 5 * 60_000);
    expect(first.headers['set-cookie']).toBeUndefined();
    const second = await client.post('/api/v1/session/totp', {
      ticket: first.json.ticket,
      code: totpCode(secret, server.clock),
    });
    expect(second.status).toBe(200);
    expect(second.json).toEqual({ status: 'signed_in', username: 'alice' });
    expect((await client.get('/api/v1/me')).status).toBe(200);
    // A successful sign-in ends the ticket it used.
    server.clock.advanceSeconds(30);
    const again = await client.post('/api/v1/session/totp', {
      ticket: first.json.ticket,
      code: totpCode(secret, server.clock),
    });
    expect(again.status).toBe(401);
    expect(again.json.error.code).toBe('invalid_ticket');
  });

  it('refuses the same TOTP code the second time, even with a new ticket (RFC 6238 §5.2)', async ({
    server,
    aliceTotp: { secret },
  }) => {
    server.clock.advanceSeconds(30);
    const code = totpCode(secret, server.clock);
    const client = server.client();
    const ticket1 = (await client.post('/api/v1/session', { username: 'alice', password: PASSWORD })).json.ticket;
    expect((await client.post('/api/v1/session/totp', { ticket: ticket1, code })).status).toBe(200);
    const ticket2 = (await client.post('/api/v1/session', { username: 'alice', password: PASSWORD })).json.ticket;
    const replay = await client.post('/api/v1/session/totp', { ticket: ticket2, code });
    expect(replay.status).toBe(401);
    expect(replay.json.error.code).toBe('invalid_code');
    // An older code (the step before) is refused too once a newer step was accepted.
    const older = await client.post('/api/v1/session/totp', {
      ticket: ticket2,
      code: totpCode(secret, server.clock, -1),
    });
    expect(older.json.error.code).toBe('invalid_code');
  });

  it('counts the step of the enabling code as used', async ({ server, aliceTotp: { secret } }) => {
    const client = server.client();
    const ticket = (await client.post('/api/v1/session', { username: 'alice', password: PASSWORD })).json.ticket;
    const sameStep = await client.post('/api/v1/session/totp', { ticket, code: totpCode(secret, server.clock) });
    expect(sameStep.json.error.code).toBe('invalid_code');
  });

  it('accepts codes with spaces and dashes, and a code from one step ahead', async ({
    server,
    aliceTotp: { secret },
  }) => {
    server.clock.advanceSeconds(60);
    const code = totpCode(secret, server.clock, 1);
    const client = server.client();
    const ticket = (await client.post('/api/v1/session', { username: 'alice', password: PASSWORD })).json.ticket;
    const response = await client.post('/api/v1/session/totp', {
      ticket,
      code: ` ${code.slice(0, 3)}-${code.slice(3)} `,
    });
    expect(response.status).toBe(200);
  });

  it('kills a ticket after 5 wrong codes', async ({ server, aliceTotp: { secret } }) => {
    server.clock.advanceSeconds(30);
    const client = server.client();
    const ticket = (await client.post('/api/v1/session', { username: 'alice', password: PASSWORD })).json.ticket;
    for (let attempt = 0; attempt < 4; attempt += 1) {
      const wrong = await client.post('/api/v1/session/totp', { ticket, code: '000000' });
      expect(wrong.json.error.code).toBe('invalid_code');
    }
    expect((await client.post('/api/v1/session/backup-code', { ticket, code: 'aaaaa-aaaaa' })).json.error.code).toBe(
      'invalid_code',
    );
    const dead = await client.post('/api/v1/session/totp', { ticket, code: totpCode(secret, server.clock) });
    expect(dead.status).toBe(401);
    expect(dead.json.error.code).toBe('invalid_ticket');
  });

  it('expires a ticket after 5 minutes', async ({ server, aliceTotp: { secret } }) => {
    const client = server.client();
    const ticket = (await client.post('/api/v1/session', { username: 'alice', password: PASSWORD })).json.ticket;
    server.clock.advanceSeconds(5 * 60);
    const response = await client.post('/api/v1/session/totp', { ticket, code: totpCode(secret, server.clock) });
    expect(response.status).toBe(401);
    expect(response.json.error.code).toBe('invalid_ticket');
  });

  it('refuses a made-up or malformed ticket', async ({ server }) => {
    const client = server.client();
    for (const ticket of ['x', 'A'.repeat(43), '']) {
      const response = await client.post('/api/v1/session/totp', { ticket, code: '123456' });
      expect(response.status).toBe(401);
      expect(response.json.error.code).toBe('invalid_ticket');
    }
  });
});
