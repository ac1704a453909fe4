import { expect } from 'vitest';
import { describeEachBackend } from '../../../support/backends.js';
import { enableTotp, PASSWORD, signedInClient, type TestServer } from '../../../support/test-server.js';
import { withTestServer } from '../../../support/with-test-server.js';

async function ticketFor(server: TestServer): Promise<string> {
  const response = await server.client().post('/api/v1/session', { username: 'alice', password: PASSWORD });
  return response.json.ticket as string;
}

describeEachBackend('backup codes', (backend) => {
  const it = withTestServer(backend);

  it('signs in once with a backup code, in any case and spacing; the same code is refused again', async ({
    server,
    aliceTotp: { backupCodes },
  }) => {
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

  it('does not accept one account’s code for another account', async ({ server, aliceTotp: { backupCodes } }) => {
    const bob = await signedInClient(server, 'bob');
    await enableTotp(server, bob);
    const bobTicket = (await server.client().post('/api/v1/session', { username: 'bob', password: PASSWORD })).json
      .ticket;
    const response = await server
      .client()
      .post('/api/v1/session/backup-code', { ticket: bobTicket, code: backupCodes[0] });
    expect(response.json.error.code).toBe('invalid_code');
  });

  it('regenerates with the password: ten new codes, every earlier code refused', async ({
    server,
    alice: owner,
    aliceTotp: { backupCodes: old },
  }) => {
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

  it('stops listing backup_code once all ten are spent', async ({ server, aliceTotp: { backupCodes } }) => {
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
