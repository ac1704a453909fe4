import { expect } from 'vitest';
import type { ClientInfo } from '../../../../server/http/client-info.js';
import { describeEachBackend, queryRows } from '../../../support/backends.js';
import { enableTotp, PASSWORD, totpCode, type TestServer } from '../../../support/test-server.js';
import { withTestServer } from '../../../support/with-test-server.js';

const wrong = { username: 'alice', password: 'wrong password' };
const LOOPBACK: ClientInfo = { ip: '127.0.0.1', userAgent: null, isLoopback: true, addressBucket: null };

async function countRows(server: TestServer, table: string): Promise<number> {
  const [row] = await queryRows<{ count: number | string }>(
    server.server.storage,
    `SELECT count(*) AS count FROM ${table}`,
  );
  return Number(row!.count);
}

describeEachBackend('attempt limits', (backend) => {
  const it = withTestServer(backend);
  // Every test here starts with alice's account.
  it.beforeEach(async ({ alice: _signedUp }) => undefined);

  it('locks sign-in for 1 minute after 5 failures, then doubles the wait with each further failure', async ({
    server,
  }) => {
    const client = server.client();
    for (let attempt = 0; attempt < 5; attempt += 1) {
      expect((await client.post('/api/v1/session', wrong)).status).toBe(401);
    }
    const locked = await client.post('/api/v1/session', { username: 'alice', password: PASSWORD });
    expect(locked.status).toBe(429);
    expect(locked.json.error.code).toBe('too_many_attempts');
    expect(locked.headers['retry-after']).toBe('60');
    expect(locked.json.error.message).toMatch(/Try again in 1 minute\./);
    server.clock.advanceSeconds(60);
    expect((await client.post('/api/v1/session', wrong)).status).toBe(401);
    expect((await client.post('/api/v1/session', wrong)).headers['retry-after']).toBe('120');
    server.clock.advanceSeconds(120);
    await client.post('/api/v1/session', wrong);
    expect((await client.post('/api/v1/session', wrong)).headers['retry-after']).toBe('240');
  });

  it('holds under 50 parallel wrong passwords: only 5 are checked, the rest get 429', async ({ server }) => {
    const client = server.client();
    const results = await Promise.all(Array.from({ length: 50 }, () => client.post('/api/v1/session', wrong)));
    expect(results.filter((result) => result.status === 401)).toHaveLength(5);
    expect(results.filter((result) => result.status === 429)).toHaveLength(45);
  });

  it('caps the wait at 24 hours', async ({ server }) => {
    const client = server.client();
    for (let attempt = 0; attempt < 20; attempt += 1) {
      await client.post('/api/v1/session', wrong);
      server.clock.advanceSeconds(25 * 3600);
    }
    await client.post('/api/v1/session', wrong);
    expect(Number((await client.post('/api/v1/session', wrong)).headers['retry-after'])).toBe(86400);
  });

  it('resets the count after a successful sign-in', async ({ server }) => {
    const client = server.client();
    for (let attempt = 0; attempt < 4; attempt += 1) await client.post('/api/v1/session', wrong);
    expect((await client.post('/api/v1/session', { username: 'alice', password: PASSWORD })).status).toBe(200);
    for (let attempt = 0; attempt < 4; attempt += 1) await client.post('/api/v1/session', wrong);
    expect((await client.post('/api/v1/session', { username: 'alice', password: PASSWORD })).status).toBe(200);
  });

  it('counts across letter-case variants of the username', async ({ server }) => {
    const client = server.client();
    for (const username of ['alice', 'ALICE', 'Alice', 'aLiCe', 'ＡＬＩＣＥ']) {
      await client.post('/api/v1/session', { username, password: 'wrong password' });
    }
    expect((await client.post('/api/v1/session', { username: 'alice', password: PASSWORD })).status).toBe(429);
  });

  it('locks an unknown username exactly as a known one', async ({ server }) => {
    const client = server.client();
    const answers: string[] = [];
    for (const username of ['alice', 'nobody']) {
      for (let attempt = 0; attempt < 6; attempt += 1) {
        const response = await client.post('/api/v1/session', { username, password: 'wrong password' });
        answers.push(`${username}:${response.status}:${response.headers['retry-after'] ?? ''}:${response.text}`);
      }
    }
    expect(answers.slice(0, 6).map((line) => line.replace('alice:', ''))).toEqual(
      answers.slice(6).map((line) => line.replace('nobody:', '')),
    );
  });

  it('counts wrong second factors and locks the account: then even the right code gets 429', async ({ server }) => {
    const owner = server.client();
    await owner.post('/api/v1/session', { username: 'alice', password: PASSWORD });
    const { secret } = await enableTotp(server, owner);
    server.clock.advanceSeconds(30);
    const client = server.client();
    const ticket = (await client.post('/api/v1/session', { username: 'alice', password: PASSWORD })).json.ticket;
    for (let attempt = 0; attempt < 5; attempt += 1) {
      await client.post('/api/v1/session/totp', { ticket, code: '111111' });
    }
    const withRightPassword = await client.post('/api/v1/session', { username: 'alice', password: PASSWORD });
    expect(withRightPassword.status).toBe(429);
    const withWrongPassword = await client.post('/api/v1/session', wrong);
    expect(withWrongPassword.status).toBe(429);
    expect(withWrongPassword.text).toBe(withRightPassword.text);
    const withRightCode = await client.post('/api/v1/session/totp', { ticket, code: totpCode(secret, server.clock) });
    expect(withRightCode.status).toBe(401); // the ticket died with its 5th wrong code
  });

  it('refuses the right code on a locked account with the same answer as any other attempt', async ({ server }) => {
    const owner = server.client();
    await owner.post('/api/v1/session', { username: 'alice', password: PASSWORD });
    const { secret } = await enableTotp(server, owner);
    server.clock.advanceSeconds(30);
    const client = server.client();
    const tickets = [
      (await client.post('/api/v1/session', { username: 'alice', password: PASSWORD })).json.ticket,
      (await client.post('/api/v1/session', { username: 'alice', password: PASSWORD })).json.ticket,
    ];
    for (let attempt = 0; attempt < 5; attempt += 1) {
      await client.post('/api/v1/session/backup-code', { ticket: tickets[0], code: 'aaaaa-aaaaa' });
    }
    const right = await client.post('/api/v1/session/totp', {
      ticket: tickets[1],
      code: totpCode(secret, server.clock),
    });
    const wrongCode = await client.post('/api/v1/session/totp', { ticket: tickets[1], code: '000000' });
    expect(right.status).toBe(429);
    expect(right.text).toBe(wrongCode.text);
  });

  it('keeps the counts across a restart (they live in the database)', async ({ server, startServer }) => {
    const client = server.client();
    for (let attempt = 0; attempt < 5; attempt += 1) await client.post('/api/v1/session', wrong);
    const dataDir = server.dataDir;
    const { clock, database } = server;
    await server.close({ keepData: true });
    const restarted = await startServer({ dataDir, clock, database });
    const after = await restarted.client().post('/api/v1/session', { username: 'alice', password: PASSWORD });
    expect(after.status).toBe(429);
  });

  it('re-authentication with a wrong password counts too', async ({ server }) => {
    const client = server.client();
    await client.post('/api/v1/session', { username: 'alice', password: PASSWORD });
    for (let attempt = 0; attempt < 5; attempt += 1) {
      expect((await client.post('/api/v1/me/totp/setup', { password: 'wrong password' })).status).toBe(401);
    }
    expect((await client.post('/api/v1/me/totp/setup', { password: PASSWORD })).status).toBe(429);
  });

  it('limits a client address to 300 failures in 15 minutes when it is not loopback', async ({ startServer }) => {
    const proxied = await startServer({ args: ['--trust-proxy', '--address-max-failures', '10'] });
    const client = proxied.client();
    const from = (ip: string) => ({ headers: { 'x-forwarded-for': ip } });
    for (let index = 0; index < 10; index += 1) {
      await client.post(
        '/api/v1/session',
        { username: `user${index}`, password: 'wrong password' },
        from('203.0.113.7'),
      );
    }
    const blocked = await client.post(
      '/api/v1/session',
      { username: 'fresh', password: 'wrong password' },
      from('203.0.113.7'),
    );
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBe(15 * 60);
    const other = await client.post(
      '/api/v1/session',
      { username: 'fresh', password: 'wrong password' },
      from('203.0.113.8'),
    );
    expect(other.status).toBe(401);
    // Loopback is exempt: many failures from 127.0.0.1 never block the address.
    for (let index = 0; index < 12; index += 1) {
      await client.post('/api/v1/session', { username: `local${index}`, password: 'wrong password' });
    }
    expect((await client.post('/api/v1/session', { username: 'local99', password: 'wrong password' })).status).toBe(
      401,
    );
    proxied.clock.advanceSeconds(15 * 60);
    const later = await client.post(
      '/api/v1/session',
      { username: 'fresh', password: 'wrong password' },
      from('203.0.113.7'),
    );
    expect(later.status).toBe(401);
  });

  it('lets a reservation that was never settled (a crash) hold the account for 30 seconds at most', async ({
    server,
  }) => {
    const { limiter } = server.server.services;
    for (let index = 0; index < 5; index += 1) await limiter.reserve('alice', LOOPBACK);
    const held = await server.client().post('/api/v1/session', { username: 'alice', password: PASSWORD });
    expect(held.status).toBe(429);
    expect(held.headers['retry-after']).toBe('1');
    server.clock.advanceSeconds(30);
    const free = await server.client().post('/api/v1/session', { username: 'alice', password: PASSWORD });
    expect(free.status).toBe(200);
  });

  it('withholds a judgement whose reservation expired before it was settled, and counts nothing', async ({
    server,
  }) => {
    const { limiter } = server.server.services;
    const reservation = await limiter.reserve('alice', LOOPBACK);
    server.clock.advanceSeconds(31);
    await expect(limiter.recordFailure(reservation, { hasAccount: true })).rejects.toMatchObject({
      statusCode: 503,
      code: 'server_busy',
    });
    const late = await limiter.reserve('alice', LOOPBACK);
    server.clock.advanceSeconds(31);
    await expect(limiter.recordSuccess(late)).rejects.toMatchObject({ code: 'server_busy' });
    expect(await countRows(server, 'account_attempts')).toBe(0);
  });

  it('never hands the count of a name without an account to the account later made with it', async ({ server }) => {
    const client = server.client();
    for (let attempt = 0; attempt < 5; attempt += 1) {
      await client.post('/api/v1/session', { username: 'newcomer', password: 'wrong password' });
    }
    expect((await client.post('/api/v1/session', { username: 'newcomer', password: PASSWORD })).status).toBe(429);
    expect((await client.post('/api/v1/accounts', { username: 'Newcomer', password: PASSWORD })).status).toBe(201);
    expect((await client.post('/api/v1/session', { username: 'newcomer', password: PASSWORD })).status).toBe(200);
    for (let attempt = 0; attempt < 4; attempt += 1)
      await client.post('/api/v1/session', { ...wrong, username: 'newcomer' });
    expect((await client.post('/api/v1/session', { username: 'newcomer', password: PASSWORD })).status).toBe(200);
  });

  it('forgets counts 30 days after the last failure and lock, and address windows when they end', async ({
    startServer,
  }) => {
    const proxied = await startServer({ args: ['--trust-proxy'] });
    const client = proxied.client();
    for (let index = 0; index < 20; index += 1) {
      await client.post(
        '/api/v1/session',
        { username: `ghost${index}`, password: 'wrong password' },
        { headers: { 'x-forwarded-for': `203.0.113.${index}` } },
      );
    }
    expect(await countRows(proxied, 'account_attempts')).toBe(20);
    expect(await countRows(proxied, 'address_attempts')).toBe(20);
    expect(await countRows(proxied, 'attempt_reservations')).toBe(0);
    proxied.clock.advanceSeconds(15 * 60);
    expect(await proxied.server.services.sweepExpired()).toBe(20);
    expect(await countRows(proxied, 'address_attempts')).toBe(0);
    proxied.clock.advanceSeconds(30 * 24 * 3600 - 15 * 60 - 1);
    await proxied.server.services.sweepExpired();
    expect(await countRows(proxied, 'account_attempts')).toBe(20);
    proxied.clock.advanceSeconds(1);
    await proxied.server.services.sweepExpired();
    expect(await countRows(proxied, 'account_attempts')).toBe(0);
  });

  it('keeps counts for a bounded number of names without an account and of addresses, never less for accounts', async ({
    server,
  }) => {
    const repository = server.server.storage.repositories.attemptLimits;
    const now = server.clock.now();
    const failure = (hasAccount: boolean) => ({
      now,
      lockUntil: () => 0,
      addressWindowMs: 15 * 60_000,
      hasAccount,
      maxNamesWithoutAccount: 3,
      maxAddresses: 2,
    });
    const reserveAndFail = async (id: string, usernameKey: string, address: string, hasAccount: boolean) => {
      expect(await repository.reserve({ id, usernameKey, address, now, expiresAt: now + 30_000 }, () => null)).toBe(
        null,
      );
      return repository.settleFailure(id, failure(hasAccount));
    };
    for (let index = 0; index < 10; index += 1) {
      await reserveAndFail(`r${index}`, `ghost${index}`, `203.0.113.${index}`, false);
    }
    expect(await countRows(server, 'account_attempts')).toBe(3);
    expect(await countRows(server, 'address_attempts')).toBe(2);
    // An existing count goes on counting, and an account is always counted.
    const again = await reserveAndFail('again', 'ghost0', '203.0.113.0', false);
    expect(again.account?.consecutiveFailures).toBe(2);
    const known = await reserveAndFail('known', 'alice', '203.0.113.99', true);
    expect(known).toMatchObject({ held: true, account: { consecutiveFailures: 1 } });
    expect(await countRows(server, 'attempt_reservations')).toBe(0);
  });
});
