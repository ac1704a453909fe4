// docs/api.md "GET /api/v1/me/sessions", "DELETE /api/v1/me/sessions/:id" and "DELETE
// /api/v1/me/sessions" over real HTTP on both backends: what the list shows, that an ended session's
// very next request is 401, and that another account's session is answered like an unknown one.
import { expect } from 'vitest';
import { SoftAuthenticator } from '../../../attack/support/soft-authenticator.js';
import { describeEachBackend, queryRows } from '../../../support/backends.js';
import type { TestClient } from '../../../support/http-client.js';
import {
  enableTotp,
  eventTypes,
  PASSWORD,
  signedInClient,
  totpCode,
  type TestServer,
} from '../../../support/test-server.js';
import { withTestServer } from '../../../support/with-test-server.js';

const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0';

/** Another session of `username`, signed in with the password alone, from a browser of its own. */
async function signInAgain(server: TestServer, username = 'alice', userAgent = FIREFOX): Promise<TestClient> {
  const client = server.client();
  const answer = await client.post(
    '/api/v1/session',
    { username, password: PASSWORD },
    { headers: { 'user-agent': userAgent } },
  );
  expect(answer.json.status, answer.text).toBe('signed_in');
  return client;
}

describeEachBackend('the session list', (backend) => {
  const it = withTestServer(backend);

  it('lists every live session newest first, the current one marked, with what the server saw at sign-in', async ({
    server,
    alice,
  }) => {
    server.clock.advance(60_000);
    const firefox = await signInAgain(server);
    const listed = await alice.get('/api/v1/me/sessions');
    expect(listed.status).toBe(200);
    const sessions = listed.json.sessions;
    expect(sessions).toHaveLength(2);
    expect(sessions[0]).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{32}$/),
      current: false,
      createdAt: new Date(server.clock.now()).toISOString(),
      lastSeenAt: new Date(server.clock.now()).toISOString(),
      ip: '127.0.0.1',
      userAgent: FIREFOX,
      signInMethod: 'password',
    });
    expect(sessions[1]).toMatchObject({ current: true, signInMethod: 'password', userAgent: null });
    expect(Date.parse(sessions[1].createdAt)).toBe(server.clock.now() - 60_000);
    // The same list from the other side, with `current` the other way round.
    const fromFirefox = (await firefox.get('/api/v1/me/sessions')).json.sessions;
    expect(fromFirefox.map((session: { current: boolean }) => session.current)).toEqual([true, false]);
    expect(fromFirefox.map((session: { id: string }) => session.id)).toEqual(sessions.map((s: { id: string }) => s.id));
  });

  it('names a session by an id that is neither its token nor the token hash', async ({ server, alice }) => {
    const [session] = (await alice.get('/api/v1/me/sessions')).json.sessions;
    const token = alice.sessionCookie!;
    expect(session.id).not.toContain(token);
    const [row] = await queryRows<{ token_hash: Buffer; public_id: string }>(
      server.server.storage,
      'SELECT token_hash, public_id FROM sessions',
    );
    expect(row!.public_id).toBe(session.id);
    expect(Buffer.from(row!.token_hash).toString('hex')).not.toContain(session.id);
    expect(Buffer.from(row!.token_hash).toString('base64url')).not.toContain(session.id);
  });

  it('keeps at most 256 characters of a user agent', async ({ server, alice }) => {
    server.clock.advance(1000);
    await signInAgain(server, 'alice', `Agent/${'x'.repeat(5000)}`);
    const [newest] = (await alice.get('/api/v1/me/sessions')).json.sessions;
    expect(newest.userAgent).toHaveLength(256);
  });

  it('records how each sign-in completed: password, totp, backup_code, security_key, passkey', async ({
    server,
    alice,
  }) => {
    const { secret, backupCodes } = await enableTotp(server, alice);
    const usbKey = new SoftAuthenticator({ origin: server.origin });
    const fingerprint = new SoftAuthenticator({ origin: server.origin, userVerifying: true });
    for (const [authenticator, name] of [
      [usbKey, 'USB key'],
      [fingerprint, 'Fingerprint'],
    ] as const) {
      const options = await alice.post('/api/v1/me/security-keys/options', { password: PASSWORD });
      const added = await alice.post('/api/v1/me/security-keys', {
        name,
        credential: authenticator.register(options.json.options),
      });
      expect(added.status, added.text).toBe(201);
    }
    const ticketFor = async (client: TestClient) =>
      (await client.post('/api/v1/session', { username: 'alice', password: PASSWORD })).json.ticket as string;

    server.clock.advance(31_000); // a fresh step: the one that enabled TOTP counts as used
    const viaTotp = server.client();
    const totp = await viaTotp.post('/api/v1/session/totp', {
      ticket: await ticketFor(viaTotp),
      code: totpCode(secret, server.clock),
    });
    expect(totp.status, totp.text).toBe(200);

    server.clock.advance(1000);
    const viaBackupCode = server.client();
    const backup = await viaBackupCode.post('/api/v1/session/backup-code', {
      ticket: await ticketFor(viaBackupCode),
      code: backupCodes[0],
    });
    expect(backup.status, backup.text).toBe(200);

    server.clock.advance(1000);
    const viaKey = server.client();
    const ticket = await ticketFor(viaKey);
    const keyOptions = await viaKey.post('/api/v1/session/security-key/options', { ticket });
    const key = await viaKey.post('/api/v1/session/security-key', {
      ticket,
      credential: usbKey.assert(keyOptions.json.options),
    });
    expect(key.status, key.text).toBe(200);

    server.clock.advance(1000);
    const viaPasskey = server.client();
    const passkeyOptions = await viaPasskey.post('/api/v1/session/passkey/options', {});
    const passkey = await viaPasskey.post('/api/v1/session/passkey', {
      credential: fingerprint.assert(passkeyOptions.json.options),
    });
    expect(passkey.status, passkey.text).toBe(200);

    const methods = (await alice.get('/api/v1/me/sessions')).json.sessions.map(
      (session: { signInMethod: string }) => session.signInMethod,
    );
    expect(methods).toEqual(['passkey', 'security_key', 'backup_code', 'totp', 'password']);
  });

  it('ends one session: its very next request is 401, the others go on', async ({ server, alice }) => {
    const firefox = await signInAgain(server);
    const third = await signInAgain(server, 'alice', 'Third/1.0');
    expect((await firefox.get('/api/v1/me')).status).toBe(200);
    const sessions = (await alice.get('/api/v1/me/sessions')).json.sessions;
    const firefoxId = sessions.find((session: { userAgent: string }) => session.userAgent === FIREFOX).id;

    const ended = await alice.delete(`/api/v1/me/sessions/${firefoxId}`);
    expect(ended.status, ended.text).toBe(204);
    const next = await firefox.get('/api/v1/me');
    expect(next.status).toBe(401);
    expect(next.json.error.code).toBe('unauthenticated');
    expect((await third.get('/api/v1/me')).status).toBe(200);
    expect((await alice.get('/api/v1/me')).status).toBe(200);
    expect((await alice.get('/api/v1/me/sessions')).json.sessions).toHaveLength(2);
    expect((await eventTypes(alice))[0]).toBe('session_ended');

    // Ended already: 404, as for an id that never was.
    const again = await alice.delete(`/api/v1/me/sessions/${firefoxId}`);
    expect(again.status).toBe(404);
    expect(again.json.error.code).toBe('not_found');
  });

  it("answers 404 for another account's session, and leaves that session signed in", async ({ server, alice }) => {
    const bob = await signedInClient(server, 'bob');
    const [bobSession] = (await bob.get('/api/v1/me/sessions')).json.sessions;
    const refused = await alice.delete(`/api/v1/me/sessions/${bobSession.id}`);
    expect(refused.status).toBe(404);
    expect(refused.json.error.code).toBe('not_found');
    const unknown = await alice.delete(`/api/v1/me/sessions/${'0'.repeat(32)}`);
    expect(unknown.json).toEqual(refused.json);
    const malformed = await alice.delete('/api/v1/me/sessions/not-an-id');
    expect(malformed.status).toBe(404);
    expect((await bob.get('/api/v1/me')).status).toBe(200);
    // Nor does alice's list show bob's session.
    const aliceIds = (await alice.get('/api/v1/me/sessions')).json.sessions.map((s: { id: string }) => s.id);
    expect(aliceIds).not.toContain(bobSession.id);
  });

  it('signs out everywhere else: every other session of the account ends, none of another account', async ({
    server,
    alice,
  }) => {
    const others = [await signInAgain(server), await signInAgain(server, 'alice', 'Other/2')];
    const bob = await signedInClient(server, 'bob');
    const answer = await alice.delete('/api/v1/me/sessions');
    expect(answer.status, answer.text).toBe(200);
    expect(answer.json).toEqual({ ended: 2 });
    for (const other of others) expect((await other.get('/api/v1/me')).status).toBe(401);
    expect((await alice.get('/api/v1/me')).status).toBe(200);
    expect((await bob.get('/api/v1/me')).status).toBe(200);
    expect((await alice.get('/api/v1/me/sessions')).json.sessions).toHaveLength(1);
    expect((await eventTypes(alice))[0]).toBe('other_sessions_ended');
    // Nothing left to end: 0, and no second event.
    expect((await alice.delete('/api/v1/me/sessions')).json).toEqual({ ended: 0 });
    expect((await eventTypes(alice)).filter((type) => type === 'other_sessions_ended')).toHaveLength(1);
  });

  it('lists no session that has gone idle or ended, and counts none of them as ended', async ({ server, alice }) => {
    await signInAgain(server);
    // alice stays active; the other session idles past 30 minutes (and the touch interval).
    for (let minute = 0; minute < 32; minute += 1) {
      server.clock.advance(60_000);
      expect((await alice.get('/api/v1/me')).status).toBe(200);
    }
    expect((await alice.get('/api/v1/me/sessions')).json.sessions).toHaveLength(1);
    expect((await alice.delete('/api/v1/me/sessions')).json).toEqual({ ended: 0 });
  });

  it('asks for a session and refuses a cookie-authenticated change without Origin', async ({ server, alice }) => {
    const anonymous = server.client();
    expect((await anonymous.get('/api/v1/me/sessions')).status).toBe(401);
    expect((await anonymous.delete('/api/v1/me/sessions')).status).toBe(401);
    expect((await anonymous.delete(`/api/v1/me/sessions/${'0'.repeat(32)}`)).status).toBe(401);
    const noOrigin = await alice.delete('/api/v1/me/sessions', undefined, { noOrigin: true });
    expect(noOrigin.status).toBe(403);
    expect(noOrigin.json.error.code).toBe('origin_mismatch');
  });
});
