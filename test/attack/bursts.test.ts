// Parallel bursts against every limit that is checked before slow work (an argon2id hash, a
// WebAuthn verification). A judgement is reserved before the work starts and settled after it
// (SECURITY.md "Attempt limits"), so no burst of any size gets more judged attempts than the
// limit: per client address (behind --trust-proxy, from X-Forwarded-For), per account, for
// sign-in, re-authentication, passkeys and registration alike. On SQLite, on PostgreSQL, and with
// each burst spread over two server instances on one database.
import { afterEach, expect, it } from 'vitest';
import { describeEachDeployment, type TestBackend } from '../support/backends.js';
import type { HttpResponse } from '../support/http-client.js';
import {
  clientWithSession,
  PASSWORD,
  signedInClient,
  startTestServer,
  type TestServer,
} from '../support/test-server.js';
import { countOf, rowsOf } from './support/data-folder.js';
import { timeLimit } from './support/scale.js';
import { SoftAuthenticator } from './support/soft-authenticator.js';

const ATTACKER = '203.0.113.9';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function count(responses: HttpResponse[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const response of responses) {
    const code = response.status < 300 ? String(response.status) : String(response.json?.error?.code);
    counts[code] = (counts[code] ?? 0) + 1;
  }
  return counts;
}

function viaProxy(address: string) {
  return { headers: { 'x-forwarded-for': address } };
}

/** `size` requests at once, each as the trusted proxy forwards it from `address(index)`. */
function burst(
  target: TestServer,
  size: number,
  path: string,
  body: (index: number) => unknown,
  address: (index: number) => string = () => ATTACKER,
): Promise<HttpResponse[]> {
  return Promise.all(
    Array.from({ length: size }, (_, index) => target.client().post(path, body(index), viaProxy(address(index)))),
  );
}

describeEachDeployment(
  'a parallel burst',
  (backend: TestBackend) => {
    it('from one address gets exactly the configured number of judged failures (20 of 600), each a real hash', async () => {
      server = await startTestServer({ backend, args: ['--trust-proxy', '--address-max-failures', '20'] });
      const target = server;
      const answers = await burst(target, 600, '/api/v1/session', (index) => ({
        username: `victim${index}`,
        password: PASSWORD,
      }));
      expect(count(answers)).toEqual({ invalid_credentials: 20, too_many_attempts: 580 });
      const refused = answers.find((answer) => answer.status === 429)!;
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      // The address stays refused for the rest of the window; another address is not affected.
      const after = await target
        .client()
        .post('/api/v1/session', { username: 'victim0', password: PASSWORD }, viaProxy(ATTACKER));
      expect(after.status).toBe(429);
      const other = await target
        .client()
        .post('/api/v1/session', { username: 'victim0', password: PASSWORD }, viaProxy('198.51.100.4'));
      expect(other.json.error.code).toBe('invalid_credentials');
    });

    it('from one address gets exactly 300 judged failures with the default limit, however many it sends', async () => {
      server = await startTestServer({ backend, args: ['--trust-proxy'] });
      const target = server;
      const answers = await burst(target, 420, '/api/v1/session', (index) => ({
        username: `spray${index}`,
        password: PASSWORD,
      }));
      expect(count(answers)).toEqual({ invalid_credentials: 300, too_many_attempts: 120 });
    });

    it('from one address counts an IPv6 /64 as one address: rotating the interface identifier gains nothing', async () => {
      server = await startTestServer({ backend, args: ['--trust-proxy', '--address-max-failures', '10'] });
      const target = server;
      const answers = await burst(
        target,
        60,
        '/api/v1/session',
        (index) => ({ username: `six${index}`, password: PASSWORD }),
        (index) => `2001:db8:1:2:${index.toString(16)}::${(index * 7).toString(16)}`,
      );
      expect(count(answers)).toEqual({ invalid_credentials: 10, too_many_attempts: 50 });
      // The next /64 is another address; IPv4-mapped addresses count as their IPv4 address.
      const neighbour = await target
        .client()
        .post('/api/v1/session', { username: 'six0', password: PASSWORD }, viaProxy('2001:db8:1:3::1'));
      expect(neighbour.json.error.code).toBe('invalid_credentials');
    });

    it('from one address limits registrations too: each new account is a judged attempt', async () => {
      server = await startTestServer({ backend, args: ['--trust-proxy', '--address-max-failures', '15'] });
      const target = server;
      const answers = await burst(target, 80, '/api/v1/accounts', (index) => ({
        username: `new${index}`,
        password: PASSWORD,
      }));
      expect(count(answers)).toEqual({ 201: 15, too_many_attempts: 65 });
      expect(await countOf(rowsOf(target.server.storage), 'SELECT count(*) FROM users')).toBe(15);
    });

    it('from one address limits passkey answers: 10 verified of 200, over four accounts', async () => {
      server = await startTestServer({ backend, args: ['--trust-proxy', '--address-max-failures', '10'] });
      const target = server;
      const keys: SoftAuthenticator[] = [];
      for (const name of ['alice', 'bob', 'carol', 'dave']) {
        const owner = await signedInClient(target, name);
        const key = new SoftAuthenticator({ origin: target.origin, userVerifying: true });
        const options = await owner.post('/api/v1/me/security-keys/options', { password: PASSWORD });
        await owner.post('/api/v1/me/security-keys', {
          name: 'Fingerprint',
          credential: key.register(options.json.options),
        });
        const challenge = await target.client().post('/api/v1/session/passkey/options', {});
        const signedIn = await target
          .client()
          .post('/api/v1/session/passkey', { credential: key.assert(challenge.json.options) });
        expect(signedIn.status, signedIn.text).toBe(200);
        keys.push(key);
      }
      const answers = await Promise.all(
        Array.from({ length: 200 }, async (_, index) => {
          const challenge = await target.client().post('/api/v1/session/passkey/options', {});
          // A stale counter: a verified signature, refused as a possible copy of the key.
          const credential = keys[index % 4]!.assert(challenge.json.options, 1);
          return target.client().post('/api/v1/session/passkey', { credential }, viaProxy(ATTACKER));
        }),
      );
      expect(count(answers)).toEqual({ invalid_credential: 10, too_many_attempts: 190 });
    });
    it('at one account gets exactly 5 judged failures of 300, from 300 different addresses', async () => {
      server = await startTestServer({ backend, args: ['--trust-proxy'] });
      const target = server;
      await signedInClient(target, 'alice');
      const answers = await burst(
        target,
        300,
        '/api/v1/session',
        (index) => ({ username: index % 2 === 0 ? 'alice' : 'ALICE', password: `wrong password ${index}` }),
        (index) => `198.51.${index >> 8}.${index & 255}`,
      );
      expect(count(answers)).toEqual({ invalid_credentials: 5, too_many_attempts: 295 });
    });

    it('at one account gets exactly 5 judged failures at re-authentication, and the owner sees each one', async () => {
      server = await startTestServer({ backend });
      const owner = await signedInClient(server, 'alice');
      const target = server;
      // The owner's session, each request through the next instance in turn.
      const answers = await Promise.all(
        Array.from({ length: 300 }, (_, index) =>
          clientWithSession(target, owner).post('/api/v1/me/totp/setup', { password: `wrong password ${index}` }),
        ),
      );
      expect(count(answers)).toEqual({ invalid_password: 5, too_many_attempts: 295 });
      const types = (await owner.get('/api/v1/me/events')).json.events.map((event: { type: string }) => event.type);
      expect(types.filter((type: string) => type === 'password_confirmation_failed')).toHaveLength(5);
    });
  },
  { timeout: timeLimit(180_000) },
);
