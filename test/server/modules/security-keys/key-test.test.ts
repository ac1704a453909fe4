// docs/api.md "POST /api/v1/me/security-keys/:id/test/options" and ".../test", over real HTTP on
// both backends with the software authenticator (test/attack/support/soft-authenticator.ts: it
// only produces what a key and browser send; every check is @simplewebauthn/server's): options
// that allow that key alone, a verified answer updating its last use and counter and nothing else,
// a single-use challenge, and 404 for a key that is not the account's.
import { expect } from 'vitest';
import { SoftAuthenticator } from '../../../attack/support/soft-authenticator.js';
import { describeEachBackend, queryRows } from '../../../support/backends.js';
import type { TestClient } from '../../../support/http-client.js';
import { eventTypes, PASSWORD, signedInClient, type TestServer } from '../../../support/test-server.js';
import { withTestServer } from '../../../support/with-test-server.js';

async function addKey(client: TestClient, authenticator: SoftAuthenticator, name: string): Promise<string> {
  const options = await client.post('/api/v1/me/security-keys/options', { password: PASSWORD });
  const added = await client.post('/api/v1/me/security-keys', {
    name,
    credential: authenticator.register(options.json.options),
  });
  expect(added.status, added.text).toBe(201);
  return added.json.key.id;
}

async function storedCounter(server: TestServer, credentialId: string): Promise<number> {
  const [row] = await queryRows<{ counter: number }>(
    server.server.storage,
    'SELECT counter FROM security_keys WHERE credential_id = ?',
    [credentialId],
  );
  return Number(row!.counter);
}

/** Two keys on alice's account: the one a test names (`id`), and a spare. */
async function twoKeys(server: TestServer, client: TestClient) {
  const usbKey = new SoftAuthenticator({ origin: server.origin });
  const otherKey = new SoftAuthenticator({ origin: server.origin });
  const id = await addKey(client, usbKey, 'USB key');
  await addKey(client, otherKey, 'Spare key');
  return { usbKey, otherKey, id };
}

describeEachBackend('testing a security key', (backend) => {
  const it = withTestServer(backend);

  it('asks for that key alone, and a verified answer updates its last use and counter and nothing else', async ({
    server,
    alice,
  }) => {
    const { usbKey, id } = await twoKeys(server, alice);
    const sessionsBefore = (await alice.get('/api/v1/me/sessions')).json.sessions;

    const options = await alice.post(`/api/v1/me/security-keys/${id}/test/options`, {});
    expect(options.status, options.text).toBe(200);
    expect(options.json.options.allowCredentials).toEqual([expect.objectContaining({ id: usbKey.id })]);
    expect(options.json.options.userVerification).toBe('discouraged');

    server.clock.advance(60_000);
    const credential = usbKey.assert(options.json.options, 7);
    const tested = await alice.post(`/api/v1/me/security-keys/${id}/test`, { credential });
    expect(tested.status, tested.text).toBe(200);
    expect(tested.json.key).toMatchObject({
      id,
      name: 'USB key',
      lastUsedAt: new Date(server.clock.now()).toISOString(),
    });
    expect(await storedCounter(server, usbKey.id)).toBe(7);
    expect((await eventTypes(alice))[0]).toBe('security_key_tested');
    // No session started or ended, and the cookie stayed what it was.
    const identity = (sessions: { id: string; createdAt: string; current: boolean }[]) =>
      sessions.map(({ id: sessionId, createdAt, current }) => ({ sessionId, createdAt, current }));
    expect(identity((await alice.get('/api/v1/me/sessions')).json.sessions)).toEqual(identity(sessionsBefore));
    const listed = (await alice.get('/api/v1/me/security-keys')).json.keys;
    expect(listed.find((key: { name: string }) => key.name === 'Spare key').lastUsedAt).toBeNull();

    // Single use: the same answer again is refused, and changes nothing.
    const replayed = await alice.post(`/api/v1/me/security-keys/${id}/test`, { credential });
    expect(replayed.status).toBe(401);
    expect(replayed.json.error.code).toBe('invalid_credential');
    expect(replayed.json.error.message).toContain('already used');
  });

  it('refuses an answer from another key than the one tested, and a counter that went backwards', async ({
    server,
    alice,
  }) => {
    const { usbKey, otherKey, id } = await twoKeys(server, alice);

    const options = await alice.post(`/api/v1/me/security-keys/${id}/test/options`, {});
    const wrongKey = await alice.post(`/api/v1/me/security-keys/${id}/test`, {
      credential: otherKey.assert(options.json.options),
    });
    expect(wrongKey.status).toBe(401);
    expect(wrongKey.json.error.code).toBe('invalid_credential');
    expect(wrongKey.json.error.message).toContain('Another security key answered');

    const first = await alice.post(`/api/v1/me/security-keys/${id}/test/options`, {});
    expect(
      (await alice.post(`/api/v1/me/security-keys/${id}/test`, { credential: usbKey.assert(first.json.options, 10) }))
        .status,
    ).toBe(200);
    const second = await alice.post(`/api/v1/me/security-keys/${id}/test/options`, {});
    const cloned = await alice.post(`/api/v1/me/security-keys/${id}/test`, {
      credential: usbKey.assert(second.json.options, 5),
    });
    expect(cloned.status).toBe(401);
    expect(cloned.json.error.message).toContain('use counter went backwards');
    expect(await storedCounter(server, usbKey.id)).toBe(10);
  });

  it("answers 404 for another account's key, an unknown one and a removed one", async ({ server, alice }) => {
    const bob = await signedInClient(server, 'bob');
    const bobsKey = new SoftAuthenticator({ origin: server.origin });
    const bobsId = await addKey(bob, bobsKey, 'Bob key');
    const aliceKey = new SoftAuthenticator({ origin: server.origin });
    const aliceId = await addKey(alice, aliceKey, 'Alice key');

    for (const path of [
      `/api/v1/me/security-keys/${bobsId}/test/options`,
      '/api/v1/me/security-keys/999999/test/options',
    ]) {
      const answer = await alice.post(path, {});
      expect(answer.status, path).toBe(404);
      expect(answer.json.error.code).toBe('not_found');
    }
    // A test challenge of bob's key, answered by bob's key, under alice's session: still 404.
    const bobsOptions = await bob.post(`/api/v1/me/security-keys/${bobsId}/test/options`, {});
    const crossed = await alice.post(`/api/v1/me/security-keys/${bobsId}/test`, {
      credential: bobsKey.assert(bobsOptions.json.options),
    });
    expect(crossed.status).toBe(404);
    // ... and bob's challenge does not serve alice's key either.
    const aliceAnswer = await alice.post(`/api/v1/me/security-keys/${aliceId}/test`, {
      credential: aliceKey.assert(bobsOptions.json.options),
    });
    expect(aliceAnswer.status).toBe(401);

    expect((await alice.delete(`/api/v1/me/security-keys/${aliceId}`, { password: PASSWORD })).status).toBe(204);
    expect((await alice.post(`/api/v1/me/security-keys/${aliceId}/test/options`, {})).status).toBe(404);
  });

  it('does not take a sign-in challenge for a test, nor a test challenge for a sign-in', async ({ server, alice }) => {
    const usbKey = new SoftAuthenticator({ origin: server.origin });
    const id = await addKey(alice, usbKey, 'USB key');
    const signIn = server.client();
    const ticket = (await signIn.post('/api/v1/session', { username: 'alice', password: PASSWORD })).json.ticket;
    const signInOptions = await signIn.post('/api/v1/session/security-key/options', { ticket });
    const asTest = await alice.post(`/api/v1/me/security-keys/${id}/test`, {
      credential: usbKey.assert(signInOptions.json.options),
    });
    expect(asTest.status).toBe(401);
    const testOptions = await alice.post(`/api/v1/me/security-keys/${id}/test/options`, {});
    const asSignIn = await signIn.post('/api/v1/session/security-key', {
      ticket,
      credential: usbKey.assert(testOptions.json.options),
    });
    expect(asSignIn.status).toBe(401);
    expect((await signIn.get('/api/v1/me')).status).toBe(401);
  });

  it('asks for a session and takes only an empty body for the options', async ({ server, alice }) => {
    const usbKey = new SoftAuthenticator({ origin: server.origin });
    const id = await addKey(alice, usbKey, 'USB key');
    expect((await server.client().post(`/api/v1/me/security-keys/${id}/test/options`, {})).status).toBe(401);
    const extra = await alice.post(`/api/v1/me/security-keys/${id}/test/options`, { password: PASSWORD });
    expect(extra.status).toBe(400);
    expect(extra.json.error.code).toBe('invalid_request');
  });
});
