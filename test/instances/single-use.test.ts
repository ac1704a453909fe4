// Every single-use step holds across server processes (SECURITY.md "Several instances"): two
// instances on one PostgreSQL database, each request of a race sent to the next instance in turn.
// A backup code is spent once, a TOTP time step accepted once, a WebAuthn challenge answered once,
// a signature counter never goes back, a ticket and a pending set-up take no more wrong codes than
// their limit, and of look-alike names registered at once only one gets an account. Attempt
// limits are raised out of the way (limits.test.ts proves them), so that every loser is judged.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { codeAt, decodeSecret, timeStep } from '../../server/modules/totp/totp-codes.js';
import { countOf } from '../attack/support/data-folder.js';
import { SoftAuthenticator } from '../attack/support/soft-authenticator.js';
import { describePostgres } from '../support/backends.js';
import type { HttpResponse, TestClient } from '../support/http-client.js';
import { PASSWORD } from '../support/test-server.js';
import { startInstances, type Instances } from './support/instances.js';

const RACERS = 40;

function tally(responses: HttpResponse[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const response of responses) {
    const key = response.status < 300 ? String(response.status) : String(response.json?.error?.code);
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

/** The code of the step after the current one: accepted (±1), and newer than any used so far. */
function nextCode(secret: string): string {
  return codeAt(decodeSecret(secret), (timeStep(Date.now()) + 1) * 30_000);
}

/** `count` six-digit codes that none of the steps accepted around now (−1 … +2) matches. */
function wrongCodes(secret: string, count: number): string[] {
  const now = timeStep(Date.now());
  const right = new Set([-1, 0, 1, 2].map((offset) => codeAt(decodeSecret(secret), (now + offset) * 30_000)));
  const codes: string[] = [];
  for (let candidate = 100_000; codes.length < count; candidate++) {
    if (!right.has(String(candidate))) codes.push(String(candidate));
  }
  return codes;
}

describePostgres('single use across two server processes', () => {
  let instances: Instances;
  let owner: TestClient;
  let secret: string;
  let backupCodes: string[];

  beforeAll(async () => {
    instances = await startInstances(2, { args: ['--lockout-threshold', '100'] });
    owner = instances.client(0);
    expect((await owner.post('/api/v1/accounts', { username: 'alice', password: PASSWORD })).status).toBe(201);
    expect((await owner.post('/api/v1/session', { username: 'alice', password: PASSWORD })).status).toBe(200);
    const setup = await instances.clientAs(owner).post('/api/v1/me/totp/setup', { password: PASSWORD });
    secret = setup.json.secret;
    const enabled = await instances
      .clientAs(owner)
      .post('/api/v1/me/totp/enable', { code: codeAt(decodeSecret(secret), Date.now()) });
    expect(enabled.status, enabled.text).toBe(200);
    backupCodes = enabled.json.backupCodes;
  }, 60_000);
  afterAll(() => instances?.close());

  /** Password sign-ins, spread over the instances: a ticket each. */
  async function tickets(count: number): Promise<string[]> {
    return Promise.all(
      Array.from({ length: count }, async () => {
        const answer = await instances.client().post('/api/v1/session', { username: 'alice', password: PASSWORD });
        if (answer.json?.status !== 'second_factor_required') throw new Error(answer.text);
        return answer.json.ticket as string;
      }),
    );
  }

  it(`spends a backup code once of ${RACERS} simultaneous uses`, async () => {
    const batch = await tickets(RACERS);
    const code = backupCodes[0]!;
    const answers = await Promise.all(
      batch.map((ticket) => instances.client().post('/api/v1/session/backup-code', { ticket, code })),
    );
    expect(tally(answers)).toEqual({ 200: 1, invalid_code: RACERS - 1 });
    expect(answers.find((answer) => answer.status === 200)!.json.backupCodesRemaining).toBe(9);
    expect(await countOf(instances.rows, "SELECT count(*) FROM security_events WHERE type = 'backup_code_used'")).toBe(
      1,
    );
  });

  it(`accepts a TOTP time step once of ${RACERS} simultaneous uses`, async () => {
    const batch = await tickets(RACERS);
    const code = nextCode(secret);
    const answers = await Promise.all(
      batch.map((ticket) => instances.client().post('/api/v1/session/totp', { ticket, code })),
    );
    expect(tally(answers)).toEqual({ 200: 1, invalid_code: RACERS - 1 });
    expect(await countOf(instances.rows, 'SELECT last_used_step FROM totp_credentials')).toBe(timeStep(Date.now()) + 1);
  });

  it('takes no more wrong codes on one ticket than its five', async () => {
    const [ticket] = await tickets(1);
    const answers = await Promise.all(
      wrongCodes(secret, 20).map((code) => instances.client().post('/api/v1/session/totp', { ticket, code })),
    );
    expect(tally(answers)).toEqual({ invalid_code: 5, invalid_ticket: 15 });
  });

  it('answers a WebAuthn challenge once, and the signature counter never goes back', async () => {
    const key = new SoftAuthenticator({ origin: instances.origin });
    const options = await instances.clientAs(owner).post('/api/v1/me/security-keys/options', { password: PASSWORD });
    const added = await instances
      .clientAs(owner)
      .post('/api/v1/me/security-keys', { name: 'USB key', credential: key.register(options.json.options) });
    expect(added.status, added.text).toBe(201);
    const storedCounter = () =>
      countOf(instances.rows, 'SELECT counter FROM security_keys WHERE credential_id = ?', [key.id]);

    // One answer to one challenge, sent 20 times at once.
    const [ticket] = await tickets(1);
    const request = await instances.client().post('/api/v1/session/security-key/options', { ticket });
    const credential = key.assert(request.json.options);
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => instances.client().post('/api/v1/session/security-key', { ticket, credential })),
    );
    expect(answers.filter((answer) => answer.status === 200)).toHaveLength(1);
    expect(answers.every((answer) => answer.status === 200 || answer.status === 401)).toBe(true);
    expect(await storedCounter()).toBe(key.counter);

    // Answers with rising counters to challenges of their own, all at once: whatever order they
    // commit in, the stored counter ends at the highest, and a lower one never replaces it.
    const batch = await tickets(10);
    const requests = await Promise.all(
      batch.map((each) => instances.client().post('/api/v1/session/security-key/options', { ticket: each })),
    );
    const base = key.counter;
    const rising = await Promise.all(
      batch.map((each, index) =>
        instances.client().post('/api/v1/session/security-key', {
          ticket: each,
          credential: key.assert(requests[index]!.json.options, base + index + 1),
        }),
      ),
    );
    expect(rising.filter((answer) => answer.status === 200).length).toBeGreaterThanOrEqual(1);
    expect(await storedCounter()).toBe(base + batch.length);
    const [late] = await tickets(1);
    const lateRequest = await instances.client().post('/api/v1/session/security-key/options', { ticket: late });
    const stale = await instances.client().post('/api/v1/session/security-key', {
      ticket: late,
      credential: key.assert(lateRequest.json.options, base + 1),
    });
    expect(stale.status).toBe(401);
    expect(stale.json.error.code).toBe('invalid_credential');
    expect(await storedCounter()).toBe(base + batch.length);
  });

  it('ends a pending authenticator-app set-up after five wrong codes, however many race', async () => {
    const bob = instances.client(1);
    await bob.post('/api/v1/accounts', { username: 'bob', password: PASSWORD });
    await bob.post('/api/v1/session', { username: 'bob', password: PASSWORD });
    const setup = await instances.clientAs(bob).post('/api/v1/me/totp/setup', { password: PASSWORD });
    expect(setup.status).toBe(200);
    const answers = await Promise.all(
      wrongCodes(setup.json.secret, 20).map((code) => instances.clientAs(bob).post('/api/v1/me/totp/enable', { code })),
    );
    expect(tally(answers)).toEqual({ invalid_code: 4, no_pending_setup: 16 });
    const events = await countOf(
      instances.rows,
      "SELECT count(*) FROM security_events e JOIN users u ON u.id = e.user_id WHERE u.username_key = 'bob' AND e.type = 'second_factor_failed'",
    );
    expect(events).toBe(5);
  });

  it('gives one account to look-alike names registered at once', async () => {
    // admin with a dotless i, a dotted capital İ, capitals, full-width letters, rn for m: one skeleton.
    const names = ['admin', 'adm\u0131n', 'adm\u0130n', 'ADMIN', '\uff41\uff44\uff4d\uff49\uff4e', 'adrnin'];
    const answers = await Promise.all(
      Array.from({ length: 24 }, (_, index) =>
        instances.client().post('/api/v1/accounts', { username: names[index % names.length], password: PASSWORD }),
      ),
    );
    const counted = tally(answers);
    expect(counted['201'], JSON.stringify(counted)).toBe(1);
    expect(counted.username_taken, JSON.stringify(counted)).toBe(23);
    expect(await countOf(instances.rows, "SELECT count(*) FROM users WHERE username_key NOT IN ('alice', 'bob')")).toBe(
      1,
    );
  });
});
