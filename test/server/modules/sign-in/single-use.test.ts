// SECURITY.md "Someone replaying a code or racing it": every verifier is single-use, enforced by
// the database rather than check-then-insert. Simultaneous submissions over real HTTP: exactly one
// wins.
import { expect, it as plainIt } from 'vitest';
import type { PgDatabase } from '../../../../server/db/pg-database.js';
import { describeEachBackend, describePostgres, openStorageAgain, postgresBackend } from '../../../support/backends.js';
import { PASSWORD, signedInClient, startTestServer, totpCode, type TestServer } from '../../../support/test-server.js';
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

describePostgres('a password sign-in beside a second factor being turned on', () => {
  plainIt('waits for the other process to commit, then asks for the second factor', async () => {
    const server = await startTestServer({ backend: postgresBackend() });
    const other = await openStorageAgain(server.database);
    try {
      await signedInClient(server);
      const alice = (await other.repositories.accounts.findByKey('alice'))!;
      const database = other.database as PgDatabase;
      let commit!: () => void;
      const held = new Promise<void>((resolve) => (commit = resolve));
      // Another server process turns TOTP on for alice, holding the account's lock meanwhile.
      const enabling = other.transactions.transaction(async () => {
        await other.transactions.lockAccount(alice.id);
        const { totp } = other.repositories;
        await totp.savePending(alice.id, { sealed: Buffer.alloc(40), keyId: 'k' }, server.clock.now() + 60_000);
        expect(await totp.enable(alice.id, server.clock.now(), 1)).toBe(true);
        await held;
      });
      let answered = false;
      const signIn = server
        .client()
        .post('/api/v1/session', { username: 'alice', password: PASSWORD })
        .finally(() => (answered = true));
      // Until the sign-in has checked the password and waits for alice's lock (or answered without).
      for (let waiting = 0; waiting === 0 && !answered;) {
        await new Promise((resolve) => setTimeout(resolve, 10));
        const { rows } = await database.query<{ waiting: number }>(
          "SELECT count(*) AS waiting FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
        );
        waiting = rows[0]!.waiting;
      }
      commit();
      await enabling;
      const answer = await signIn;
      expect(answer.json).toMatchObject({ status: 'second_factor_required', methods: ['totp'] });
    } finally {
      await other.close();
      await server.close();
    }
  });
});
