// SECURITY.md "Someone replaying a code or racing it": a WebAuthn challenge raced twice succeeds at
// most once (every verifier is single-use; the signature counter never goes backwards). Real
// server, real HTTP; the authenticator is the software one (support/soft-authenticator.ts) so that
// each round is milliseconds, and the server's checks are @simplewebauthn/server's, unchanged. On
// SQLite, on PostgreSQL, and with the answers spread over two server instances on one database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDeployment, type TestBackend } from '../support/backends.js';
import type { HttpResponse, TestClient } from '../support/http-client.js';
import { PASSWORD, signedInClient, startTestServer, type TestServer } from '../support/test-server.js';
import { countOf, rowsOf } from './support/data-folder.js';
import { scaled, timeLimit } from './support/scale.js';
import { SoftAuthenticator } from './support/soft-authenticator.js';

const SUBMISSIONS = 50;
const LOCKOUT_THRESHOLD = 5;

function storedCounter(server: TestServer, credentialId: string): Promise<number> {
  return countOf(rowsOf(server.server.storage), 'SELECT counter FROM security_keys WHERE credential_id = ?', [
    credentialId,
  ]);
}

function countSessions(server: TestServer): Promise<number> {
  return countOf(rowsOf(server.server.storage), 'SELECT count(*) FROM sessions');
}

async function waitOutLock(server: TestServer): Promise<void> {
  const lockedUntil = await countOf(
    rowsOf(server.server.storage),
    "SELECT coalesce(max(locked_until), 0) FROM account_attempts WHERE username_key = 'alice'",
  );
  const wait = lockedUntil - server.clock.now();
  if (wait > 0) server.clock.advance(wait + 1000);
}

function expectRefusal(response: HttpResponse): void {
  expect(response.status, response.text).toBeGreaterThanOrEqual(400);
  expect(response.status).toBeLessThan(500);
  expect(response.json).toEqual({ error: { code: expect.stringMatching(/^[a-z_]+$/), message: expect.any(String) } });
}

describeEachDeployment(
  'WebAuthn challenges under a race',
  (backend: TestBackend) => {
    let server: TestServer;
    let owner: TestClient;
    let usbKey: SoftAuthenticator;
    let fingerprint: SoftAuthenticator;

    async function addKey(authenticator: SoftAuthenticator, name: string): Promise<HttpResponse> {
      const options = await owner.post('/api/v1/me/security-keys/options', { password: PASSWORD });
      expect(options.status, options.text).toBe(200);
      return owner.post('/api/v1/me/security-keys', { name, credential: authenticator.register(options.json.options) });
    }

    beforeAll(async () => {
      server = await startTestServer({ backend });
      owner = await signedInClient(server, 'alice');
      usbKey = new SoftAuthenticator({ origin: server.origin });
      fingerprint = new SoftAuthenticator({ origin: server.origin, userVerifying: true });
      const added = await addKey(usbKey, 'USB key');
      expect(added.status, added.text).toBe(201);
      expect(added.json.backupCodes).toHaveLength(10);
      expect((await addKey(fingerprint, 'Fingerprint')).status).toBe(201);
    });
    afterAll(() => server.close());

    it(`lets one of ${SUBMISSIONS} simultaneous answers to one second-factor challenge sign in, round after round`, async () => {
      for (let round = 0; round < scaled(5, 50); round += 1) {
        await waitOutLock(server);
        const client = server.client();
        const ticket = (await client.post('/api/v1/session', { username: 'alice', password: PASSWORD })).json.ticket;
        const options = await client.post('/api/v1/session/security-key/options', { ticket });
        expect(options.status, options.text).toBe(200);
        const credential = usbKey.assert(options.json.options);
        const sessionsBefore = await countSessions(server);

        const results = await Promise.all(
          Array.from({ length: SUBMISSIONS }, () =>
            server.client().post('/api/v1/session/security-key', { ticket, credential }),
          ),
        );

        expect(results.filter((result) => result.status === 200)).toHaveLength(1);
        for (const loser of results.filter((result) => result.status !== 200)) expectRefusal(loser);
        expect((await countSessions(server)) - sessionsBefore).toBe(1);
        expect(await storedCounter(server, usbKey.id)).toBe(usbKey.counter);
      }
    });

    it('lets at most one of two different answers (two counters) to one challenge through', async () => {
      for (let round = 0; round < scaled(5, 50); round += 1) {
        await waitOutLock(server);
        const client = server.client();
        const ticket = (await client.post('/api/v1/session', { username: 'alice', password: PASSWORD })).json.ticket;
        const options = (await client.post('/api/v1/session/security-key/options', { ticket })).json.options;
        const first = usbKey.assert(options);
        const second = usbKey.assert(options);
        const results = await Promise.all(
          [first, second].map((credential) =>
            server.client().post('/api/v1/session/security-key', { ticket, credential }),
          ),
        );
        expect(results.filter((result) => result.status === 200)).toHaveLength(1);
        expectRefusal(results.find((result) => result.status !== 200)!);
        // The counter on disk is the winner's, and a later answer with a lower counter is refused.
        const stored = await storedCounter(server, usbKey.id);
        expect([usbKey.counter - 1, usbKey.counter]).toContain(stored);
      }
      await waitOutLock(server);
      const client = server.client();
      const ticket = (await client.post('/api/v1/session', { username: 'alice', password: PASSWORD })).json.ticket;
      const options = (await client.post('/api/v1/session/security-key/options', { ticket })).json.options;
      const replayed = await client.post('/api/v1/session/security-key', {
        ticket,
        credential: usbKey.assert(options, usbKey.counter - 5),
      });
      expect(replayed.status).toBe(401);
      expect(replayed.json.error.code).toBe('invalid_credential');
      expect(await storedCounter(server, usbKey.id)).toBeGreaterThanOrEqual(usbKey.counter - 1);
    });

    it(`lets one of ${SUBMISSIONS} simultaneous answers to one passkey challenge sign in, and counts the rest`, async () => {
      let judged = 0;
      for (let round = 0; round < scaled(5, 50); round += 1) {
        await waitOutLock(server);
        const options = await server.client().post('/api/v1/session/passkey/options', {});
        expect(options.status, options.text).toBe(200);
        const credential = fingerprint.assert(options.json.options);
        const sessionsBefore = await countSessions(server);

        const results = await Promise.all(
          Array.from({ length: SUBMISSIONS }, () => server.client().post('/api/v1/session/passkey', { credential })),
        );

        expect(results.filter((result) => result.status === 200)).toHaveLength(1);
        const losers = results.filter((result) => result.status !== 200);
        for (const loser of losers) expectRefusal(loser);
        // Each replay is a failed sign-in, judged only while the account's count has room: the
        // threshold, and once more after the winner's sign-in resets the count (less its own);
        // none in a round that starts as a lock ends, when the winner may be the one admitted.
        const looked = losers.filter((loser) => loser.status === 401);
        const codes = losers.map((loser) => loser.json.error.code).join(',');
        judged += looked.length;
        expect(looked.length, codes).toBeLessThanOrEqual(2 * LOCKOUT_THRESHOLD - 1);
        expect(losers.length - looked.length, codes).toBe(
          losers.filter((loser) => loser.json.error.code === 'too_many_attempts').length,
        );
        expect((await countSessions(server)) - sessionsBefore).toBe(1);
        expect(await storedCounter(server, fingerprint.id)).toBe(fingerprint.counter);
      }
      expect(judged, 'replays judged over all rounds').toBeGreaterThan(0);
    });
  },
  { timeout: timeLimit(120_000) },
);

describe('the passkey flag', { timeout: timeLimit(60_000) }, () => {
  it('is enforced: a key added as a second step only never signs in on its own, whatever its answer carries', async () => {
    const server = await startTestServer();
    try {
      const owner = await signedInClient(server, 'alice');
      // A fingerprint reader, but the browser did not report a discoverable credential (no
      // credProps): registered as a second factor, listed as no passkey.
      const reader = new SoftAuthenticator({ origin: server.origin, userVerifying: true });
      const options = await owner.post('/api/v1/me/security-keys/options', { password: PASSWORD });
      const registration = { ...reader.register(options.json.options), clientExtensionResults: {} };
      const added = await owner.post('/api/v1/me/security-keys', { name: 'Reader', credential: registration });
      expect(added.status, added.text).toBe(201);
      expect(added.json.key.passkey).toBe(false);

      // Its assertion carries user verification and the user handle, and its signature is good.
      const challenge = await server.client().post('/api/v1/session/passkey/options', {});
      const answer = await server
        .client()
        .post('/api/v1/session/passkey', { credential: reader.assert(challenge.json.options) });
      expect(answer.status, answer.text).toBe(401);
      expect(answer.json.error.code).toBe('invalid_credential');
      expect(answer.json.error.message).toMatch(/on its own/);
      expect(await countSessions(server)).toBe(1);
      const listed = (await owner.get('/api/v1/me/security-keys')).json.keys;
      expect(listed).toEqual([expect.objectContaining({ name: 'Reader', passkey: false, lastUsedAt: null })]);
    } finally {
      await server.close();
    }
  });
});
