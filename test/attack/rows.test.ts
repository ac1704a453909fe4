// What unauthenticated requests leave in the database (SECURITY.md "What the database keeps"):
// nothing for a passkey challenge; for a failed sign-in, counts that expire and that the sweep
// deletes within one sweep interval of their expiry; tickets and challenges bounded per account.
import { expect } from 'vitest';
import { describeEachBackend, queryRows } from '../support/backends.js';
import { enableTotp, PASSWORD, signedInClient, type TestServer } from '../support/test-server.js';
import { withTestServer } from '../support/with-test-server.js';
import { sleep, timeLimit } from './support/scale.js';

const SWEEP_INTERVAL_MS = 200;

async function rows(target: TestServer, table: string): Promise<number> {
  const [row] = await queryRows<{ count: number | string }>(
    target.server.storage,
    `SELECT count(*) AS count FROM ${table}`,
  );
  return Number(row!.count);
}

/** Waits (real time) until `table` is empty, for at most a few sweep intervals. */
async function sweptWithin(target: TestServer, table: string, intervals = 10): Promise<number> {
  for (let waited = 0; waited <= intervals; waited += 1) {
    if ((await rows(target, table)) === 0) return waited;
    await sleep(SWEEP_INTERVAL_MS);
  }
  return Number.POSITIVE_INFINITY;
}

describeEachBackend(
  'rows that requests without an account leave',
  (backend) => {
    const it = withTestServer(backend);

    it('a passkey challenge leaves none, however many are asked for', async ({ server: target }) => {
      const before = await rows(target, 'webauthn_challenges');
      for (let batch = 0; batch < 10; batch += 1) {
        const answers = await Promise.all(
          Array.from({ length: 100 }, () => target.client().post('/api/v1/session/passkey/options', {})),
        );
        expect(answers.every((answer) => answer.status === 200)).toBe(true);
      }
      expect(await rows(target, 'webauthn_challenges')).toBe(before);
    });

    it('failed sign-ins under unknown names: counts that the sweep deletes once they expire', async ({
      startServer,
    }) => {
      const target = await startServer({ args: ['--trust-proxy'], sweepIntervalMs: SWEEP_INTERVAL_MS });
      for (let index = 0; index < 200; index += 1) {
        const answer = await target
          .client()
          .post(
            '/api/v1/session',
            { username: `unknown${index}`, password: 'short' },
            { headers: { 'x-forwarded-for': `198.51.100.${index % 50}` } },
          );
        expect(answer.status).toBe(401);
      }
      expect(await rows(target, 'account_attempts')).toBe(200);
      expect(await rows(target, 'address_attempts')).toBe(50);
      expect(await rows(target, 'attempt_reservations')).toBe(0);
      // The address windows end after 15 minutes; the names' counts 30 days after their failure.
      target.clock.advanceSeconds(15 * 60);
      expect(await sweptWithin(target, 'address_attempts')).toBeLessThanOrEqual(2);
      expect(await rows(target, 'account_attempts')).toBe(200);
      target.clock.advanceSeconds(30 * 24 * 3600);
      expect(await sweptWithin(target, 'account_attempts')).toBeLessThanOrEqual(2);
    });

    it('keeps at most 100 live tickets per account, and sweeps them when they expire', async ({ startServer }) => {
      const target = await startServer({ sweepIntervalMs: SWEEP_INTERVAL_MS });
      const owner = await signedInClient(target, 'alice');
      await enableTotp(target, owner);
      // Five at a time: one account's judgements in flight are limited like its failures.
      for (let batch = 0; batch < 22; batch += 1) {
        await Promise.all(
          Array.from({ length: 5 }, () =>
            target.client().post('/api/v1/session', { username: 'alice', password: PASSWORD }),
          ),
        );
      }
      expect(await rows(target, 'sign_in_tickets')).toBe(100);
      // In the same millisecond as all the others, the newest ticket is one of those kept.
      const newest = await target.client().post('/api/v1/session', { username: 'alice', password: PASSWORD });
      const tried = await target.client().post('/api/v1/session/totp', { ticket: newest.json.ticket, code: '000000' });
      expect(tried.json.error.code).toBe('invalid_code');
      target.clock.advanceSeconds(5 * 60);
      expect(await sweptWithin(target, 'sign_in_tickets')).toBeLessThanOrEqual(2);
    });
  },
  { timeout: timeLimit(120_000) },
);
