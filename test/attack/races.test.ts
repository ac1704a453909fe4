// SECURITY.md "Someone replaying a code or racing it": races over real HTTP against a real server.
// Every verifier is single-use, enforced by the database: of 50 simultaneous submissions of one
// code exactly one wins, round after round; and a backup-code set regenerated while its codes are
// being used leaves exactly one valid set, with no old code accepted once the new set is committed.
// On SQLite, on PostgreSQL, and with the submissions spread over two server instances on one
// database.
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDeployment, type TestBackend } from '../support/backends.js';
import type { HttpResponse, TestClient } from '../support/http-client.js';
import {
  enableTotp,
  PASSWORD,
  signedInClient,
  startTestServer,
  totpCode,
  type TestServer,
} from '../support/test-server.js';
import { backupCodeHash, countOf, rowsOf, storedBackupCodes, userId } from './support/data-folder.js';
import { between, scaled, SEED, seededRandom, sleep, timeLimit } from './support/scale.js';

const SUBMISSIONS = 50;
const LOCKOUT_THRESHOLD = 5;

/** One password sign-in per ticket; a ticket is one would-be attacker's (or device's) attempt. */
async function tickets(server: TestServer, username: string, count: number): Promise<string[]> {
  const client = server.client();
  const result: string[] = [];
  for (let index = 0; index < count; index += 1) {
    const answer = await client.post('/api/v1/session', { username, password: PASSWORD });
    if (answer.json?.status !== 'second_factor_required') throw new Error(`no ticket: ${answer.text}`);
    result.push(answer.json.ticket);
  }
  return result;
}

function expectErrorShape(response: HttpResponse): void {
  expect(response.headers['content-type']).toMatch(/^application\/json/);
  expect(response.json).toEqual({ error: { code: expect.stringMatching(/^[a-z_]+$/), message: expect.any(String) } });
}

/**
 * The losers of a race are refused: `invalid_code` while the account's count has room
 * (docs/api.md "Attempt limits"), `too_many_attempts` with Retry-After from then on. The winner's sign-in
 * resets the count, so judgements settled after it start a new one: at most the threshold before
 * it and the threshold after it, less the winner's own reservation. None at all in a round that
 * starts as a lock ends (one judgement at a time is admitted then, and it may be the winner's,
 * with every loser arriving while it is judged): the rounds together must have some (`judged`).
 */
function expectOneWinner(results: HttpResponse[], judged: { count: number }): HttpResponse {
  const winners = results.filter((result) => result.status === 200);
  expect(winners, `statuses: ${results.map((result) => result.status).join(',')}`).toHaveLength(1);
  const losers = results.filter((result) => result.status !== 200);
  for (const loser of losers) {
    expectErrorShape(loser);
    expect(['invalid_code', 'too_many_attempts']).toContain(loser.json.error.code);
    if (loser.status === 429) expect(Number(loser.headers['retry-after'])).toBeGreaterThan(0);
    else expect(loser.status).toBe(401);
  }
  const looked = losers.filter((loser) => loser.json.error.code === 'invalid_code').length;
  expect(looked).toBeLessThanOrEqual(2 * LOCKOUT_THRESHOLD - 1);
  judged.count += looked;
  return winners[0]!;
}

function countEvents(server: TestServer, type: string): Promise<number> {
  return countOf(rowsOf(server.server.storage), 'SELECT count(*) FROM security_events WHERE type = ?', [type]);
}

function countSessions(server: TestServer): Promise<number> {
  return countOf(rowsOf(server.server.storage), 'SELECT count(*) FROM sessions');
}

/** Moves the fake clock past any lock the last round left (read from the database). */
async function waitOutLock(server: TestServer, username: string): Promise<void> {
  const lockedUntil = await countOf(
    rowsOf(server.server.storage),
    'SELECT coalesce(max(locked_until), 0) FROM account_attempts WHERE username_key = ?',
    [username],
  );
  const wait = lockedUntil - server.clock.now();
  if (wait > 0) server.clock.advance(wait + 1000);
}

describeEachDeployment(
  'races over real HTTP',
  (backend: TestBackend) => {
    let server: TestServer;
    let owner: TestClient;
    let secret: string;
    let backupCodes: string[];
    const secretKey = randomBytes(32);
    const random = seededRandom(SEED);

    beforeAll(async () => {
      server = await startTestServer({ backend, secretKey });
      owner = await signedInClient(server, 'alice');
      ({ secret, backupCodes } = await enableTotp(server, owner));
    });
    afterAll(() => server.close());

    /** The fake clock jumps minutes per round; the owner's session must not idle out meanwhile. */
    async function keepAlive(): Promise<void> {
      expect((await owner.get('/api/v1/me')).status).toBe(200);
    }

    async function freshBackupCodes(): Promise<string[]> {
      const regenerated = await owner.post('/api/v1/me/backup-codes', { password: PASSWORD });
      expect(regenerated.status, regenerated.text).toBe(200);
      return regenerated.json.backupCodes;
    }

    it(`lets exactly one of ${SUBMISSIONS} simultaneous submissions of one backup code sign in, round after round`, async () => {
      const rounds = scaled(6, 60);
      const judged = { count: 0 };
      let unused = [...backupCodes];
      for (let round = 0; round < rounds; round += 1) {
        // This round's tickets are newer than the last round's, which the bound on live tickets per
        // account trims first (tickets made in one millisecond are trimmed in no particular order).
        server.clock.advanceSeconds(1);
        await keepAlive();
        await waitOutLock(server, 'alice');
        if (unused.length === 0) unused = await freshBackupCodes();
        const code = unused.splice(between(random, 0, unused.length - 1), 1)[0]!;
        const batch = await tickets(server, 'alice', SUBMISSIONS);
        const usedBefore = await countEvents(server, 'backup_code_used');
        const sessionsBefore = await countSessions(server);

        const results = await Promise.all(
          batch.map((ticket) => server.client().post('/api/v1/session/backup-code', { ticket, code })),
        );

        const winner = expectOneWinner(results, judged);
        expect(winner.json).toEqual({ status: 'signed_in', username: 'alice', backupCodesRemaining: unused.length });
        expect((await countEvents(server, 'backup_code_used')) - usedBefore).toBe(1);
        expect((await countSessions(server)) - sessionsBefore).toBe(1);
        const rows = rowsOf(server.server.storage);
        const alice = await userId(rows, 'alice');
        const hash = backupCodeHash(secretKey, alice, code).toString('hex');
        const spent = (await storedBackupCodes(rows, alice)).find((row) => row.hashHex === hash);
        expect(spent?.usedAt, `round ${round} (seed ${SEED})`).not.toBeNull();
      }
      expect(judged.count, 'losers judged over all rounds').toBeGreaterThan(0);
    });

    it(`lets exactly one of ${SUBMISSIONS} simultaneous submissions of one TOTP code sign in, round after round`, async () => {
      const rounds = scaled(6, 60);
      const judged = { count: 0 };
      for (let round = 0; round < rounds; round += 1) {
        // A new time step each round (the last one was used), past the lock the losers caused.
        server.clock.advanceSeconds(30);
        await keepAlive();
        await waitOutLock(server, 'alice');
        const batch = await tickets(server, 'alice', SUBMISSIONS);
        const code = totpCode(secret, server.clock);
        const sessionsBefore = await countSessions(server);

        const results = await Promise.all(
          batch.map((ticket) => server.client().post('/api/v1/session/totp', { ticket, code })),
        );

        expect(expectOneWinner(results, judged).json).toEqual({ status: 'signed_in', username: 'alice' });
        expect((await countSessions(server)) - sessionsBefore).toBe(1);
        const lastStep = await countOf(rowsOf(server.server.storage), 'SELECT last_used_step FROM totp_credentials');
        expect(lastStep).toBe(Math.floor(server.clock.now() / 30_000));
      }
      expect(judged.count, 'losers judged over all rounds').toBeGreaterThan(0);
    });

    it('leaves exactly one valid set when backup codes are regenerated while old ones are used', async () => {
      const rounds = scaled(6, 60);
      await waitOutLock(server, 'alice');
      let current = await freshBackupCodes();
      // Old codes are sent over twice the time the last regeneration took, so that both sides of
      // the commit are hit whatever the machine's speed.
      let regenerationMs = 50;
      let accepted = 0;
      let refused = 0;
      for (let round = 0; round < rounds; round += 1) {
        await keepAlive();
        await waitOutLock(server, 'alice');
        const oldCodes = current.slice(0, 6);
        const batch = await tickets(server, 'alice', oldCodes.length);
        const rows = rowsOf(server.server.storage);
        const eventsBefore = await countOf(rows, 'SELECT coalesce(max(id), 0) FROM security_events');

        // The regeneration checks the password (tens of milliseconds of argon2id) and then swaps
        // the set in one transaction; old codes arrive at seeded moments before, during and after.
        let regeneratedAt = Infinity;
        const startedAt = performance.now();
        const regeneration = owner.post('/api/v1/me/backup-codes', { password: PASSWORD }).then((response) => {
          regeneratedAt = performance.now();
          return response;
        });
        const submissions = oldCodes.map(async (code, index) => {
          await sleep(between(random, 0, Math.ceil(regenerationMs * 2)));
          const sentAt = performance.now();
          const response = await server.client().post('/api/v1/session/backup-code', { ticket: batch[index], code });
          return { code, sentAt, response };
        });
        const regenerated = await regeneration;
        const outcomes = await Promise.all(submissions);

        expect(regenerated.status, regenerated.text).toBe(200);
        regenerationMs = regeneratedAt - startedAt;
        accepted += outcomes.filter((outcome) => outcome.response.status === 200).length;
        refused += outcomes.filter((outcome) => outcome.response.status !== 200).length;
        const newCodes: string[] = regenerated.json.backupCodes;
        for (const { sentAt, response } of outcomes) {
          if (sentAt > regeneratedAt) expect(response.status, `sent after the new set was committed`).not.toBe(200);
          if (response.status !== 200) {
            expectErrorShape(response);
            expect(['invalid_code', 'too_many_attempts']).toContain(response.json.error.code);
          }
        }

        const id = await userId(rows, 'alice');
        // Exactly one set: the new one, all ten unused, written at one moment.
        const stored = await storedBackupCodes(rows, id);
        expect(stored.map((row) => row.hashHex).sort()).toEqual(
          newCodes.map((code) => backupCodeHash(secretKey, id, code).toString('hex')).sort(),
        );
        expect(stored.every((row) => row.usedAt === null)).toBe(true);
        expect(new Set(stored.map((row) => row.createdAt)).size).toBe(1);
        // Every old code that was accepted was spent before the set was replaced: its event comes
        // first (on PostgreSQL the replacement's DELETE waits for a spend that holds its row).
        const events = await rows<{ id: number; type: string }>(
          'SELECT id, type FROM security_events WHERE id > ? ORDER BY id',
          [eventsBefore],
        );
        const generatedAt = events.filter((event) => event.type === 'backup_codes_generated').map((event) => event.id);
        expect(generatedAt).toHaveLength(1);
        const used = events.filter((event) => event.type === 'backup_code_used');
        expect(used).toHaveLength(outcomes.filter((outcome) => outcome.response.status === 200).length);
        for (const event of used) expect(event.id).toBeLessThan(generatedAt[0]!);

        // Afterwards a new code works and no old one does (the success first: it resets the count).
        await waitOutLock(server, 'alice');
        const [newTicket, oldTicket] = await tickets(server, 'alice', 2);
        const withNew = await server
          .client()
          .post('/api/v1/session/backup-code', { ticket: newTicket, code: newCodes[0] });
        expect(withNew.json).toMatchObject({ status: 'signed_in', backupCodesRemaining: 9 });
        const withOld = await server
          .client()
          .post('/api/v1/session/backup-code', { ticket: oldTicket, code: current[7] });
        expect(withOld.json.error.code).toBe('invalid_code');
        current = newCodes.slice(1);
      }
      expect(accepted, 'some old codes won the race against the regeneration').toBeGreaterThan(0);
      expect(refused, 'some old codes lost the race against the regeneration').toBeGreaterThan(0);
    });
  },
  { timeout: timeLimit(120_000) },
);
