// SECURITY.md "Someone spraying guesses over many accounts": the per-address limit (docs/api.md
// "Attempt limits": 300 failures in 15 minutes, then 429 for the rest of the window; loopback
// exempt; behind a reverse proxy the address comes from X-Forwarded-For only when trusting the
// proxy is configured). An attacker spraying guesses over many usernames is stopped by it — and
// cannot dodge it by writing their own X-Forwarded-For, which the proxy passes on with the real
// address appended. On SQLite, on PostgreSQL, and with the spray spread over two server instances
// on one database.
import { afterEach, expect, it } from 'vitest';
import { describeEachDeployment, type TestBackend } from '../support/backends.js';
import type { HttpResponse } from '../support/http-client.js';
import { PASSWORD, signedInClient, startTestServer, type TestServer } from '../support/test-server.js';
import { timeLimit } from './support/scale.js';

const ATTACKER = '203.0.113.9';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A request as the one trusted reverse proxy forwards it: what the client sent, then its address. */
function viaProxy(target: TestServer, body: unknown, clientAddress: string, clientSent?: string) {
  const forwarded = clientSent ? `${clientSent}, ${clientAddress}` : clientAddress;
  return target.client().post('/api/v1/session', body, { headers: { 'x-forwarded-for': forwarded } });
}

async function spray(target: TestServer, count: number, clientSent: (index: number) => string | undefined) {
  const answers: HttpResponse[] = [];
  for (let index = 0; index < count; index += 1) {
    // Too short to be hashed (docs/api.md "Passwords"), so the spray is quick; it counts all the same.
    answers.push(
      await viaProxy(target, { username: `victim${index}`, password: 'short' }, ATTACKER, clientSent(index)),
    );
  }
  return answers;
}

describeEachDeployment(
  'the per-address limit behind a trusted proxy',
  (backend: TestBackend) => {
    it('stops a spray over many usernames after 300 failures, for the rest of the 15 minutes', async () => {
      server = await startTestServer({ backend, args: ['--trust-proxy'] });
      await signedInClient(server, 'alice');
      const answers = await spray(server, 300, () => undefined);
      expect(answers.every((answer) => answer.status === 401)).toBe(true);
      const blocked = await viaProxy(server, { username: 'alice', password: PASSWORD }, ATTACKER);
      expect(blocked.status).toBe(429);
      expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
      // Another address is not affected, and the window ends.
      expect((await viaProxy(server, { username: 'alice', password: PASSWORD }, '198.51.100.4')).status).toBe(200);
      server.clock.advanceSeconds(15 * 60);
      expect((await viaProxy(server, { username: 'alice', password: PASSWORD }, ATTACKER)).status).toBe(200);
    });

    it('counts the address the proxy saw, whatever the client wrote into X-Forwarded-For', async () => {
      server = await startTestServer({ backend, args: ['--trust-proxy'] });
      await signedInClient(server, 'alice');
      // A new forged address each time, and the loopback address that is exempt from the limit.
      await spray(server, 300, (index) => (index % 2 === 0 ? `10.0.${index >> 8}.${index & 255}` : '127.0.0.1'));
      const blocked = await viaProxy(server, { username: 'alice', password: PASSWORD }, ATTACKER, '127.0.0.1');
      expect(blocked.status, blocked.text).toBe(429);
    });

    it('ignores X-Forwarded-For when no proxy is trusted', async () => {
      server = await startTestServer({ backend });
      await signedInClient(server, 'alice');
      await spray(server, 300, () => undefined);
      // Loopback (the socket's address) is exempt: the header named someone else, and was not believed.
      expect((await viaProxy(server, { username: 'alice', password: PASSWORD }, ATTACKER)).status).toBe(200);
    });
  },
  { timeout: timeLimit(120_000) },
);
