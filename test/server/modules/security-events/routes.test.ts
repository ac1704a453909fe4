import { expect } from 'vitest';
import { describeEachBackend } from '../../../support/backends.js';
import { PASSWORD, signedInClient } from '../../../support/test-server.js';
import { withTestServer } from '../../../support/with-test-server.js';

describeEachBackend('GET /api/v1/me/events', (backend) => {
  const it = withTestServer(backend);

  it('lists what happened, newest first, with time, address and user agent', async ({
    server,
    alice: owner,
    aliceTotp: { backupCodes },
  }) => {
    server.clock.advanceSeconds(5);
    await server.client().post('/api/v1/session', { username: 'alice', password: 'wrong password' });
    const client = server.client();
    const ticket = (await client.post('/api/v1/session', { username: 'alice', password: PASSWORD })).json.ticket;
    await client.post('/api/v1/session/totp', { ticket, code: '000000' });
    await client.post(
      '/api/v1/session/backup-code',
      { ticket, code: backupCodes[0] },
      { headers: { 'user-agent': 'Latchkey test' } },
    );
    await owner.post('/api/v1/me/backup-codes', { password: PASSWORD });
    await owner.post('/api/v1/me/totp/disable', { password: PASSWORD });
    await client.delete('/api/v1/session');
    const response = await owner.get('/api/v1/me/events');
    expect(response.status).toBe(200);
    expect(response.json.events.map((event: { type: string }) => event.type)).toEqual([
      'signed_out',
      'totp_disabled',
      'backup_codes_generated',
      'signed_in',
      'backup_code_used',
      'second_factor_failed',
      'sign_in_failed',
      'backup_codes_generated',
      'totp_enabled',
      'signed_in',
      'account_created',
    ]);
    const used = response.json.events.find((event: { type: string }) => event.type === 'backup_code_used');
    expect(used).toEqual({
      type: 'backup_code_used',
      at: new Date(server.clock.now()).toISOString(),
      ip: '127.0.0.1',
      userAgent: 'Latchkey test',
    });
  });

  it('records locked_out once, when the account locks', async ({ server, alice: owner }) => {
    for (let attempt = 0; attempt < 7; attempt += 1) {
      await server.client().post('/api/v1/session', { username: 'alice', password: 'wrong password' });
    }
    const types = (await owner.get('/api/v1/me/events')).json.events.map((event: { type: string }) => event.type);
    expect(types.filter((type: string) => type === 'locked_out')).toHaveLength(1);
    expect(types.filter((type: string) => type === 'sign_in_failed')).toHaveLength(5);
  });

  it('records password_confirmation_failed for each wrong password at a re-authentication', async ({
    server,
    alice: owner,
  }) => {
    for (const path of ['/api/v1/me/totp/setup', '/api/v1/me/security-keys/options', '/api/v1/me/backup-codes']) {
      expect((await owner.post(path, { password: 'wrong password' })).json.error.code).toBe('invalid_password');
    }
    const events = (await owner.get('/api/v1/me/events')).json.events;
    expect(events.slice(0, 3).map((event: { type: string }) => event.type)).toEqual([
      'password_confirmation_failed',
      'password_confirmation_failed',
      'password_confirmation_failed',
    ]);
    expect(events[0]).toMatchObject({ ip: '127.0.0.1' });
    const document = (await server.client().get('/api/v1/openapi.json')).json;
    const listed =
      document.paths['/api/v1/me/events'].get.responses['200'].content['application/json'].schema.properties.events
        .items.properties.type.enum;
    expect(listed).toContain('password_confirmation_failed');
  });

  it("shows only the account's own events", async ({ server }) => {
    await signedInClient(server, 'alice');
    const bob = await signedInClient(server, 'bob');
    const types = (await bob.get('/api/v1/me/events')).json.events.map((event: { type: string }) => event.type);
    expect(types).toEqual(['signed_in', 'account_created']);
  });
});
