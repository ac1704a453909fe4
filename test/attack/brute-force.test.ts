// SECURITY.md "Someone who knows or guesses the password": brute force. An attacker who has the
// password gets so few guesses at the second factor per day that a 6-digit code stays out of reach
// (the figure is in SECURITY.md, and asserted here over a simulated day with the fake clock); the
// limits hold across username case variants, switching code kinds, 200 parallel requests and a
// restart; a locked account refuses the right password and the right code exactly as it refuses
// wrong ones. On SQLite, on PostgreSQL, and with the requests spread over two server instances on
// one database.
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { describeEachDeployment, type TestBackend } from '../support/backends.js';
import { parseCommandLine } from '../../server/config.js';
import type { HttpResponse, TestClient } from '../support/http-client.js';
import { FakeClock } from '../support/fake-clock.js';
import {
  clientWithSession,
  enableTotp,
  PASSWORD,
  signedInClient,
  startTestServer,
  totpCode,
  type TestServer,
} from '../support/test-server.js';
import { guessesInWindow, randomBackupCode, wrongTotpCode } from './support/attacker.js';
import { SEED, seededRandom, timeLimit } from './support/scale.js';

const DAY_SECONDS = 24 * 3600;
const DEFAULT_LIMITS = (() => {
  const parsed = parseCommandLine(['--data-dir', '/nonexistent'], {});
  if (parsed.kind !== 'run') throw new Error('unexpected');
  return parsed.config.limits;
})();

/** SECURITY.md "How many guesses": the figures stated there, derived from the defaults. */
const FIRST_DAY_GUESSES = 15;
const LATER_DAY_GUESSES = 1;

describeEachDeployment('brute force', (backend: TestBackend) => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function twoFactorAccount(options: Parameters<typeof startTestServer>[0] = {}) {
    server = await startTestServer({ backend, ...options });
    const owner = await signedInClient(server, 'alice');
    const enrolled = await enableTotp(server, owner);
    return { server, owner, ...enrolled };
  }

  async function ticketFor(target: TestServer, username = 'alice'): Promise<HttpResponse> {
    return target.client().post('/api/v1/session', { username, password: PASSWORD });
  }

  function codes(responses: HttpResponse[]): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const response of responses) {
      const code = response.status === 200 ? 'ok' : String(response.json?.error?.code);
      counts[code] = (counts[code] ?? 0) + 1;
    }
    return counts;
  }

  describe('guesses at the second factor per day', { timeout: timeLimit(120_000) }, () => {
    it(`are ${FIRST_DAY_GUESSES} on the first day and ${LATER_DAY_GUESSES} on each day after, with the defaults`, async () => {
      expect(guessesInWindow(DEFAULT_LIMITS, DAY_SECONDS)).toBe(FIRST_DAY_GUESSES);
      const { server: target, secret } = await twoFactorAccount();
      const random = seededRandom(SEED);
      const attacker = target.client();
      const start = target.clock.now();
      const evaluatedPerDay = [0, 0, 0];
      let ticket: string | null = null;
      let guess = 0;
      // The attacker's best play: guess whenever the server will look, alternating code kinds,
      // getting a new ticket (the password is known) whenever the old one is gone.
      while (target.clock.now() < start + 3 * DAY_SECONDS * 1000) {
        if (ticket === null) {
          const signIn = await attacker.post('/api/v1/session', { username: 'alice', password: PASSWORD });
          if (signIn.status === 429) {
            target.clock.advanceSeconds(Number(signIn.headers['retry-after']));
            continue;
          }
          expect(signIn.json.status).toBe('second_factor_required');
          ticket = signIn.json.ticket as string;
        }
        guess += 1;
        const answer =
          guess % 2 === 0
            ? await attacker.post('/api/v1/session/totp', {
                ticket,
                code: wrongTotpCode(secret, target.clock.now(), random),
              })
            : await attacker.post('/api/v1/session/backup-code', { ticket, code: randomBackupCode(random) });
        expect(answer.status).not.toBe(200);
        if (answer.json.error.code === 'invalid_code') {
          evaluatedPerDay[Math.floor((target.clock.now() - start) / (DAY_SECONDS * 1000))]! += 1;
        } else if (answer.json.error.code === 'invalid_ticket') {
          ticket = null;
        } else {
          expect(answer.status).toBe(429);
          target.clock.advanceSeconds(Number(answer.headers['retry-after']));
        }
      }
      expect(evaluatedPerDay).toEqual([FIRST_DAY_GUESSES, LATER_DAY_GUESSES, LATER_DAY_GUESSES]);
    });
  });

  describe('the second-factor limit', { timeout: timeLimit(120_000) }, () => {
    it('is one count across username case variants and both code kinds', async () => {
      const { server: target, secret } = await twoFactorAccount();
      const random = seededRandom(SEED + 1);
      const variants = ['alice', 'ALICE', 'Alice', 'ａｌｉｃｅ', 'aLiCe'];
      for (const [index, username] of variants.entries()) {
        const signIn = await ticketFor(target, username);
        expect(signIn.json.status).toBe('second_factor_required');
        const { ticket } = signIn.json;
        const wrong =
          index % 2 === 0
            ? await target.client().post('/api/v1/session/totp', {
                ticket,
                code: wrongTotpCode(secret, target.clock.now(), random),
              })
            : await target.client().post('/api/v1/session/backup-code', { ticket, code: randomBackupCode(random) });
        expect(wrong.json.error.code).toBe('invalid_code');
      }
      const afterFive = await ticketFor(target, 'ALICE');
      expect(afterFive.status).toBe(429);
      expect(afterFive.headers['retry-after']).toBe('60');
    });

    it('lets exactly 5 of 200 parallel wrong codes be looked at, over 40 tickets and both kinds', async () => {
      const { server: target, secret } = await twoFactorAccount();
      const random = seededRandom(SEED + 2);
      const tickets: string[] = [];
      for (let index = 0; index < 40; index += 1) tickets.push((await ticketFor(target)).json.ticket);
      const results = await Promise.all(
        Array.from({ length: 200 }, (_, index) =>
          index % 2 === 0
            ? target.client().post('/api/v1/session/totp', {
                ticket: tickets[index % 40],
                code: wrongTotpCode(secret, target.clock.now(), random),
              })
            : target.client().post('/api/v1/session/backup-code', {
                ticket: tickets[index % 40],
                code: randomBackupCode(random),
              }),
        ),
      );
      const counted = codes(results);
      expect(counted.invalid_code, JSON.stringify(counted)).toBe(5);
      expect((counted.too_many_attempts ?? 0) + (counted.invalid_ticket ?? 0)).toBe(195);
      expect((await ticketFor(target)).status).toBe(429);
    });

    it('lets exactly 5 of 200 parallel wrong passwords be checked, in any letter case', async () => {
      server = await startTestServer({ backend });
      await signedInClient(server, 'alice');
      const target = server;
      const results = await Promise.all(
        Array.from({ length: 200 }, (_, index) =>
          target.client().post('/api/v1/session', {
            username: index % 3 === 0 ? 'alice' : index % 3 === 1 ? 'ALICE' : 'Alice',
            password: `wrong password ${index}`,
          }),
        ),
      );
      expect(codes(results)).toEqual({ invalid_credentials: 5, too_many_attempts: 195 });
    });

    it('lets at most 5 of 200 parallel wrong passwords and codes, mixed, be looked at', async () => {
      const { server: target, secret } = await twoFactorAccount();
      const random = seededRandom(SEED + 3);
      const tickets: string[] = [];
      for (let index = 0; index < 20; index += 1) tickets.push((await ticketFor(target)).json.ticket);
      const results = await Promise.all(
        Array.from({ length: 200 }, (_, index) =>
          index % 2 === 0
            ? target.client().post('/api/v1/session', { username: 'alice', password: `wrong password ${index}` })
            : target.client().post('/api/v1/session/totp', {
                ticket: tickets[index % 20],
                code: wrongTotpCode(secret, target.clock.now(), random),
              }),
        ),
      );
      const counted = codes(results);
      expect((counted.invalid_code ?? 0) + (counted.invalid_credentials ?? 0), JSON.stringify(counted)).toBe(5);
    });

    it('lets exactly 5 of 200 parallel wrong passwords through re-authentication be checked', async () => {
      const { server: target, owner } = await twoFactorAccount();
      const results = await Promise.all(
        Array.from({ length: 200 }, (_, index) =>
          clientWithSession(target, owner).post('/api/v1/me/backup-codes', { password: `wrong password ${index}` }),
        ),
      );
      expect(codes(results)).toEqual({ invalid_password: 5, too_many_attempts: 195 });
      expect((await ticketFor(target)).status).toBe(429);
    });

    it('survives a restart: the count and the lock are on disk', async () => {
      const clock = new FakeClock();
      const secretKey = randomBytes(32);
      const { server: first, secret } = await twoFactorAccount({ clock, secretKey });
      const random = seededRandom(SEED + 4);
      const { ticket } = (await ticketFor(first)).json;
      for (let attempt = 0; attempt < 4; attempt += 1) {
        const code = wrongTotpCode(secret, clock.now(), random);
        expect((await first.client().post('/api/v1/session/totp', { ticket, code })).json.error.code).toBe(
          'invalid_code',
        );
      }
      await first.close({ keepData: true });
      server = await startTestServer({ backend, clock, secretKey, dataDir: first.dataDir, database: first.database });
      const second = server;
      const { ticket: ticket2 } = (await ticketFor(second)).json;
      const fifth = await second.client().post('/api/v1/session/totp', {
        ticket: ticket2,
        code: wrongTotpCode(secret, clock.now(), random),
      });
      expect(fifth.json.error.code).toBe('invalid_code');
      await second.close({ keepData: true });
      clock.advanceSeconds(20);
      server = await startTestServer({ backend, clock, secretKey, dataDir: first.dataDir, database: first.database });
      const locked = await ticketFor(server);
      expect(locked.status).toBe(429);
      expect(locked.headers['retry-after']).toBe('40');
    });
  });

  describe('a locked account', { timeout: timeLimit(120_000) }, () => {
    async function lockedWithTicket() {
      const enrolled = await twoFactorAccount();
      const random = seededRandom(SEED + 5);
      const target = enrolled.server;
      target.clock.advanceSeconds(30); // a fresh step, so the right code is really right
      const { ticket } = (await ticketFor(target)).json;
      const { ticket: spareTicket } = (await ticketFor(target)).json;
      for (let attempt = 0; attempt < 5; attempt += 1) {
        await target.client().post('/api/v1/session/backup-code', { ticket, code: randomBackupCode(random) });
      }
      return { ...enrolled, spareTicket: spareTicket as string };
    }

    it('answers the right password exactly as a wrong one', async () => {
      const { server: target } = await lockedWithTicket();
      const right = await ticketFor(target);
      const wrong = await target.client().post('/api/v1/session', { username: 'alice', password: 'wrong password' });
      const unknown = await target.client().post('/api/v1/session', { username: 'nobody', password: PASSWORD });
      expect(right.status).toBe(429);
      expect([right.text, right.headers['retry-after']]).toEqual([wrong.text, wrong.headers['retry-after']]);
      expect(right.json.error.code).toBe('too_many_attempts');
      expect(unknown.status).toBe(401); // another account: its own count
    });

    it('answers the right TOTP code and the right backup code exactly as wrong ones, and spends neither', async () => {
      const { server: target, owner, secret, backupCodes, spareTicket } = await lockedWithTicket();
      const random = seededRandom(SEED + 6);
      const client: TestClient = target.client();
      const rightTotp = await client.post('/api/v1/session/totp', {
        ticket: spareTicket,
        code: totpCode(secret, target.clock),
      });
      const wrongTotp = await client.post('/api/v1/session/totp', {
        ticket: spareTicket,
        code: wrongTotpCode(secret, target.clock.now(), random),
      });
      const rightBackup = await client.post('/api/v1/session/backup-code', {
        ticket: spareTicket,
        code: backupCodes[0],
      });
      expect(rightTotp.status).toBe(429);
      expect(rightTotp.text).toBe(wrongTotp.text);
      expect(rightBackup.text).toBe(wrongTotp.text);
      expect(client.sessionCookie).toBeNull();
      // Once the lock ends, both codes still work: the refusal spent nothing.
      target.clock.advanceSeconds(61);
      const later = await client.post('/api/v1/session/totp', {
        ticket: spareTicket,
        code: totpCode(secret, target.clock),
      });
      expect(later.json).toEqual({ status: 'signed_in', username: 'alice' });
      expect((await owner.get('/api/v1/me')).json.twoFactor.backupCodesRemaining).toBe(10);
    });
  });
});
