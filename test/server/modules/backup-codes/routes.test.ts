import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachBackend } from '../../../support/backends.js';
import {
  enableTotp,
  PASSWORD,
  signedInClient,
  startTestServer,
  type TestServer,
} from '../../../support/test-server.js';

async function ticketFor(server: TestServer): Promise<string> {
  const response = await server.client().post('/api/v1/session', { username: 'alice', password: PASSWORD });
  return response.json.ticket as string;
}

describeEachBackend('backup codes', (backend) => {
  let server: TestServer;
  beforeEach(async () => {
    server = await startTestServer({ backend });
  });
  afterEach(() => server.close());

  it('signs in once with a backup code, in any case and spacing; the same code is refused again', async () => {
    const owner = await signedInClient(server);
    const { backupCodes } = await enableTotp(server, owner);
    const code = backupCodes[0]!;
    const client = server.client();
    const response = await client.post('/api/v1/session/backup-code', {
      ticket: await ticketFor(server),
      code: ` ${code.toUpperCase().replace('-', ' - ')} `,
    });
    expect(response.status).toBe(200);
    expect(response.json).toEqual({ status: 'signed_in', username: 'alice', backupCodesRemaining: 9 });
    expect(client.sessionCookie).toBeTruthy();
    const again = await server.client().post('/api/v1/session/backup-code', { ticket: await ticketFor(server), code });
    expect(again.status).toBe(401);
    expect(again.json.error.code).toBe('invalid_code');
    expect((await client.get('/api/v1/me')).json.twoFactor.backupCodesRemaining).toBe(9);
  });

  it('does not accept one account’s code for another account', async () => {
    const alice = await signedInClient(server, 'alice');
    const { backupCodes } = await enableTotp(server, alice);
    const bob = await signedInClient(server, 'bob');
    await enableTotp(server, bob);
    const bobTicket = (await server.client().post('/api/v1/session', { username: 'bob', password: PASSWORD })).json
      .ticket;
    const response = await server
      .client()
      .post('/api/v1/session/backup-code', { ticket: bobTicket, code: backupCodes[0] });
    expect(response.json.error.code).toBe('invalid_code');
  });

  it('regenerates with the password: ten new codes, every earlier code refused', async () => {
    const owner = await signedInClient(server);
    const { backupCodes: old } = await enableTotp(server, owner);
    const wrong = await owner.post('/api/v1/me/backup-codes', { password: 'wrong password!' });
    expect(wrong.json.error.code).toBe('invalid_password');
    const fresh = await owner.post('/api/v1/me/backup-codes', { password: PASSWORD });
    expect(fresh.status).toBe(200);
    expect(fresh.json.backupCodes).toHaveLength(10);
    expect(fresh.json.backupCodes.filter((code: string) => old.includes(code))).toEqual([]);
    const refused = await server
      .client()
      .post('/api/v1/session/backup-code', { ticket: await ticketFor(server), code: old[1] });
    expect(refused.json.error.code).toBe('invalid_code');
    const accepted = await server
      .client()
      .post('/api/v1/session/backup-code', { ticket: await ticketFor(server), code: fresh.json.backupCodes[1] });
    expect(accepted.status).toBe(200);
    expect(accepted.json.backupCodesRemaining).toBe(9);
  });

  it('stops listing backup_code once all ten are spent', async () => {
    const owner = await signedInClient(server);
    const { backupCodes } = await enableTotp(server, owner);
    for (const code of backupCodes) {
      const response = await server
        .client()
        .post('/api/v1/session/backup-code', { ticket: await ticketFor(server), code });
      expect(response.status).toBe(200);
    }
    const next = await server.client().post('/api/v1/session', { username: 'alice', password: PASSWORD });
    expect(next.json.methods).toEqual(['totp']);
  });
});
