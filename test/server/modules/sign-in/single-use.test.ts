// SECURITY.md "Someone replaying a code or racing it": every verifier is single-use, enforced by
// the database rather than check-then-insert. Simultaneous submissions over real HTTP: exactly one
// wins.
import { expect } from 'vitest';
import { describeEachBackend } from '../../../support/backends.js';
import { PASSWORD, totpCode, type TestServer } from '../../../support/test-server.js';
import { withTestServer } from '../../../support/with-test-server.js';

async function tickets(server: TestServer, count: number): Promise<string[]> {
  const client = server.client();
  const result: string[] = [];
  for (let index = 0; index < count; index += 1) {
    result.push((await client.post('/api/v1/session', { username: 'alice', password: PASSWORD })).json.ticket);
  }
  return result;
}

describeEachBackend('single use under concurrency', (backend) => {
  const it = withTestServer(backend);

  it('lets one of 20 simultaneous uses of one backup code succeed', async ({
    server,
    alice: owner,
    aliceTotp: { backupCodes },
  }) => {
    const batch = await tickets(server, 20);
    const results = await Promise.all(
      batch.map((ticket) => server.client().post('/api/v1/session/backup-code', { ticket, code: backupCodes[3] })),
    );
    expect(results.filter((result) => result.status === 200)).toHaveLength(1);
    // The 19 losers are refused: invalid_code until the fifth failure locks the account, then 429.
    const refusals = results.filter((result) => result.status !== 200).map((result) => result.json.error.code);
    expect(refusals).toHaveLength(19);
    expect(refusals.filter((code) => code === 'invalid_code').length).toBeLessThanOrEqual(5);
    expect(refusals.every((code) => code === 'invalid_code' || code === 'too_many_attempts')).toBe(true);
    expect((await owner.get('/api/v1/me')).json.twoFactor.backupCodesRemaining).toBe(9);
  });

  it('lets one of 20 simultaneous uses of one TOTP code succeed', async ({ server, aliceTotp: { secret } }) => {
    server.clock.advanceSeconds(30);
    const batch = await tickets(server, 20);
    const code = totpCode(secret, server.clock);
    const results = await Promise.all(
      batch.map((ticket) => server.client().post('/api/v1/session/totp', { ticket, code })),
    );
    expect(results.filter((result) => result.status === 200)).toHaveLength(1);
  });

  it('lets one of several simultaneous uses of one ticket succeed, and spends no code for the losers', async ({
    server,
    alice: owner,
    aliceTotp: { backupCodes },
  }) => {
    const [ticket] = await tickets(server, 1);
    const results = await Promise.all(
      backupCodes.slice(0, 5).map((code) => server.client().post('/api/v1/session/backup-code', { ticket, code })),
    );
    expect(results.filter((result) => result.status === 200)).toHaveLength(1);
    expect((await owner.get('/api/v1/me')).json.twoFactor.backupCodesRemaining).toBe(9);
  });
});
