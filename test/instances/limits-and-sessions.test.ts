// Three server processes on one PostgreSQL database behave as one server to every client
// (SECURITY.md "Several instances"): a burst spread over them gets no more judged failures than
// one server would give, per account and per address (each judgement is reserved in the database
// before its hash); and a session ended on one is refused by the others at its next request.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { countOf } from '../attack/support/data-folder.js';
import { describePostgres } from '../support/backends.js';
import type { HttpResponse } from '../support/http-client.js';
import { PASSWORD } from '../support/test-server.js';
import { startInstances, type Instances } from './support/instances.js';

const ATTACKER = '203.0.113.9';

function tally(responses: HttpResponse[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const response of responses) {
    const key = response.status < 300 ? String(response.status) : String(response.json?.error?.code);
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

describePostgres('limits and sessions across three server processes', () => {
  let instances: Instances;

  beforeAll(async () => {
    // The one reverse proxy's address is loopback here: each request names its client itself.
    instances = await startInstances(3, { args: ['--trust-proxy', '--address-max-failures', '20'] });
    const alice = instances.client();
    expect((await alice.post('/api/v1/accounts', { username: 'alice', password: PASSWORD })).status).toBe(201);
  }, 60_000);
  afterAll(() => instances?.close());

  const from = (address: string) => ({ headers: { 'x-forwarded-for': address } });

  it('judges 5 of 150 wrong passwords for one account, from 150 addresses over three instances', async () => {
    const answers = await Promise.all(
      Array.from({ length: 150 }, (_, index) =>
        instances
          .client()
          .post(
            '/api/v1/session',
            { username: index % 2 ? 'alice' : 'ALICE', password: `wrong password ${index}` },
            from(`198.51.100.${index}`),
          ),
      ),
    );
    expect(tally(answers)).toEqual({ invalid_credentials: 5, too_many_attempts: 145 });
    const events = await countOf(instances.rows, "SELECT count(*) FROM security_events WHERE type = 'sign_in_failed'");
    expect(events).toBe(5);
  });

  it('judges 20 of 300 wrong sign-ins from one address, over many names and three instances', async () => {
    const answers = await Promise.all(
      Array.from({ length: 300 }, (_, index) =>
        instances.client().post('/api/v1/session', { username: `victim${index}`, password: PASSWORD }, from(ATTACKER)),
      ),
    );
    expect(tally(answers)).toEqual({ invalid_credentials: 20, too_many_attempts: 280 });
    // Every instance refuses that address now; another address is judged.
    for (let index = 0; index < 3; index++) {
      const again = await instances
        .client(index)
        .post('/api/v1/session', { username: 'bob', password: PASSWORD }, from(ATTACKER));
      expect(again.status).toBe(429);
    }
    const other = await instances
      .client()
      .post('/api/v1/session', { username: 'bob', password: PASSWORD }, from('192.0.2.1'));
    expect(other.json.error.code).toBe('invalid_credentials');
  });

  it('refuses a session on every instance at once after it was signed out on one', async () => {
    await instances.client().post('/api/v1/accounts', { username: 'carol', password: PASSWORD }, from('192.0.2.2'));
    const carol = instances.client(0);
    const signedIn = await carol.post('/api/v1/session', { username: 'carol', password: PASSWORD }, from('192.0.2.2'));
    expect(signedIn.json.status, signedIn.text).toBe('signed_in');
    const onEach = (index: number) => {
      const client = instances.client(index);
      client.sessionCookie = carol.sessionCookie;
      return client.get('/api/v1/me');
    };
    for (let index = 0; index < 3; index++) expect((await onEach(index)).status).toBe(200);
    expect((await carol.delete('/api/v1/session')).status).toBe(204);
    // The very next request, on the other instances, and alongside each other.
    const after = await Promise.all([1, 2, 0, 1, 2].map((index) => onEach(index).then((answer) => answer.status)));
    expect(after).toEqual([401, 401, 401, 401, 401]);
    expect(await countOf(instances.rows, 'SELECT count(*) FROM sessions')).toBe(0);
  });
});
