import { expect } from 'vitest';
import { describeEachBackend, queryRows } from '../../../support/backends.js';
import { TestClient } from '../../../support/http-client.js';
import { signedInClient } from '../../../support/test-server.js';
import { withTestServer } from '../../../support/with-test-server.js';

describeEachBackend('sessions', (backend) => {
  const it = withTestServer(backend);

  it('signs out: 204, cookie cleared, and the token refused afterwards (revoked on the server)', async ({
    server,
    alice: client,
  }) => {
    const token = client.sessionCookie!;
    const response = await client.delete('/api/v1/session');
    expect(response.status).toBe(204);
    expect((response.headers['set-cookie'] as string[])[0]).toMatch(/^latchkey_session=;.*Max-Age=0/);
    const replay = new TestClient(server.origin);
    replay.sessionCookie = token;
    const me = await replay.get('/api/v1/me');
    expect(me.status).toBe(401);
    expect(me.json.error.code).toBe('unauthenticated');
  });

  it('answers DELETE /session with 204 even when not signed in', async ({ server }) => {
    expect((await server.client().delete('/api/v1/session')).status).toBe(204);
  });

  it('accepts the token as a Bearer header, and then ignores the cookie', async ({ server, alice: client }) => {
    const token = client.sessionCookie!;
    const bearer = server.client();
    const me = await bearer.get('/api/v1/me', { headers: { authorization: `Bearer ${token}` } });
    expect(me.status).toBe(200);
    const wrongBearer = await client.get('/api/v1/me', { headers: { authorization: 'Bearer not-a-token' } });
    expect(wrongBearer.status).toBe(401);
    // Bearer-authenticated changes need no Origin (no ambient credential to forge).
    const noOrigin = await bearer.post(
      '/api/v1/me/backup-codes',
      { password: 'correct horse battery' },
      {
        noOrigin: true,
        headers: { authorization: `Bearer ${token}` },
      },
    );
    expect(noOrigin.status).toBe(409);
  });

  it('takes no session from a Cookie header that names the session cookie twice', async ({ server, alice: client }) => {
    const other = await signedInClient(server, 'mallory');
    // Cookies do not tell ports apart: another page on localhost can add a second one with a
    // longer path, sent first. Which one is meant is not clear, so neither is used.
    for (const cookie of [
      `latchkey_session=${other.sessionCookie}; latchkey_session=${client.sessionCookie}`,
      `latchkey_session=${client.sessionCookie}; theme=dark; latchkey_session=${client.sessionCookie}`,
    ]) {
      const me = await client.get('/api/v1/me', { noCookie: true, headers: { cookie } });
      expect(me.status).toBe(401);
    }
    expect((await client.get('/api/v1/me')).json.username).toBe('alice');
  });

  it('ends a session 30 idle minutes after its last request (at most one touch interval later)', async ({
    server,
    alice: client,
  }) => {
    server.clock.advanceSeconds(29 * 60);
    expect((await client.get('/api/v1/me')).status).toBe(200);
    server.clock.advanceSeconds(29 * 60);
    expect((await client.get('/api/v1/me')).status).toBe(200);
    server.clock.advanceSeconds(30 * 60 - 1);
    expect((await client.get('/api/v1/me')).status).toBe(200);
    server.clock.advanceSeconds(31 * 60);
    expect((await client.get('/api/v1/me')).status).toBe(401);
  });

  it('never ends an active session early: with a 1-minute idle limit, a request every 40 s keeps it', async ({
    startServer,
  }) => {
    const short = await startServer({ args: ['--session-idle-minutes', '1'] });
    const client = await signedInClient(short);
    for (let round = 0; round < 10; round += 1) {
      short.clock.advanceSeconds(40);
      expect((await client.get('/api/v1/me')).status, `after ${(round + 1) * 40} s`).toBe(200);
    }
    // Idle: it ends within the limit plus the touch interval (2 s for a 1-minute limit).
    short.clock.advanceSeconds(62);
    expect((await client.get('/api/v1/me')).status).toBe(401);
  });

  it('signs out with 204 whatever the body: an empty JSON body, no body, text, or a stray field', async ({
    server,
  }) => {
    for (const send of [
      (client: TestClient) =>
        client.send('DELETE', '/api/v1/session', { headers: { 'content-type': 'application/json' } }),
      (client: TestClient) =>
        client.send('DELETE', '/api/v1/session', { rawBody: '', headers: { 'content-type': 'application/json' } }),
      (client: TestClient) =>
        client.send('DELETE', '/api/v1/session', { rawBody: 'bye', headers: { 'content-type': 'text/plain' } }),
      (client: TestClient) => client.delete('/api/v1/session', { everything: true }),
      (client: TestClient) =>
        client.send('DELETE', '/api/v1/session', {
          rawBody: '{"broken',
          headers: { 'content-type': 'application/json' },
        }),
    ]) {
      const client = await signedInClient(server, `user${Math.random().toString(36).slice(2, 8)}`);
      const token = client.sessionCookie!;
      const response = await send(client);
      expect(response.status, response.text).toBe(204);
      const replay = new TestClient(server.origin);
      replay.sessionCookie = token;
      expect((await replay.get('/api/v1/me')).status).toBe(401);
    }
  });

  it('ends a session 12 hours after sign-in however active it is', async ({ server, alice: client }) => {
    for (let hour = 0; hour < 11; hour += 1) {
      server.clock.advanceSeconds(20 * 60);
      expect((await client.get('/api/v1/me')).status).toBe(200);
      server.clock.advanceSeconds(20 * 60);
      expect((await client.get('/api/v1/me')).status).toBe(200);
      server.clock.advanceSeconds(20 * 60);
      expect((await client.get('/api/v1/me')).status).toBe(200);
    }
    server.clock.advanceSeconds(60 * 60);
    expect((await client.get('/api/v1/me')).status).toBe(401);
  });

  it('takes idle and absolute lifetimes from the configuration', async ({ startServer }) => {
    const short = await startServer({
      args: ['--session-idle-minutes', '5', '--session-absolute-hours', '1'],
    });
    const client = await signedInClient(short);
    // 5 minutes, plus the touch interval (a 30th of the idle limit: 10 s).
    short.clock.advanceSeconds(5 * 60 + 10);
    expect((await client.get('/api/v1/me')).status).toBe(401);
  });

  it('sweeps only sessions that can no longer authenticate', async ({ server }) => {
    const idle = await signedInClient(server, 'idle');
    const active = await signedInClient(server, 'active');
    server.clock.advanceSeconds(20 * 60);
    expect((await active.get('/api/v1/me')).status).toBe(200);
    server.clock.advanceSeconds(15 * 60);
    await server.server.services.sessions.sweepExpired();
    const rows = await queryRows<{ sessions: number }>(
      server.server.storage,
      'SELECT count(*) AS sessions FROM sessions',
    );
    expect(Number(rows[0]!.sessions)).toBe(1);
    expect((await active.get('/api/v1/me')).status).toBe(200);
    expect((await idle.get('/api/v1/me')).status).toBe(401);
  });

  it('issues a new token at every sign-in', async ({ alice: client }) => {
    const first = client.sessionCookie;
    await client.post('/api/v1/session', { username: 'alice', password: 'correct horse battery' });
    expect(client.sessionCookie).not.toBe(first);
  });
});
