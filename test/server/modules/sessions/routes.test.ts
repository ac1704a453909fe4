import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachBackend, queryRows } from '../../../support/backends.js';
import { TestClient } from '../../../support/http-client.js';
import { signedInClient, startTestServer, type TestServer } from '../../../support/test-server.js';

describeEachBackend('sessions', (backend) => {
  let server: TestServer;
  beforeEach(async () => {
    server = await startTestServer({ backend });
  });
  afterEach(() => server.close());

  it('signs out: 204, cookie cleared, and the token refused afterwards (revoked on the server)', async () => {
    const client = await signedInClient(server);
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

  it('answers DELETE /session with 204 even when not signed in', async () => {
    expect((await server.client().delete('/api/v1/session')).status).toBe(204);
  });

  it('accepts the token as a Bearer header, and then ignores the cookie', async () => {
    const client = await signedInClient(server);
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

  it('ends a session after 30 idle minutes', async () => {
    const client = await signedInClient(server);
    server.clock.advanceSeconds(29 * 60);
    expect((await client.get('/api/v1/me')).status).toBe(200);
    server.clock.advanceSeconds(29 * 60);
    expect((await client.get('/api/v1/me')).status).toBe(200);
    server.clock.advanceSeconds(30 * 60);
    expect((await client.get('/api/v1/me')).status).toBe(401);
  });

  it('ends a session 12 hours after sign-in however active it is', async () => {
    const client = await signedInClient(server);
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

  it('takes idle and absolute lifetimes from the configuration', async () => {
    const short = await startTestServer({
      backend,
      args: ['--session-idle-minutes', '5', '--session-absolute-hours', '1'],
    });
    try {
      const client = await signedInClient(short);
      short.clock.advanceSeconds(5 * 60);
      expect((await client.get('/api/v1/me')).status).toBe(401);
    } finally {
      await short.close();
    }
  });

  it('sweeps only sessions that can no longer authenticate', async () => {
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

  it('issues a new token at every sign-in', async () => {
    const client = await signedInClient(server);
    const first = client.sessionCookie;
    await client.post('/api/v1/session', { username: 'alice', password: 'correct horse battery' });
    expect(client.sessionCookie).not.toBe(first);
  });
});
