// What the log keeps of requests at the default level (info): every sign-in's outcome without
// any secret, slow requests, errors — and no line for a fast, successful request. At debug, every
// request. A real server on loopback, its log read from the stream it writes to.
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { isSignInRoute } from '../../../server/http/request-log.js';
import { PASSWORD, startTestServer, type TestServer } from '../../support/test-server.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serverWithLog(args: string[]) {
  const lines: Record<string, unknown>[] = [];
  const logStream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line) lines.push(JSON.parse(line));
      done();
    },
  });
  server = await startTestServer({ logStream, args });
  return { server, lines };
}

describe('the request log', () => {
  it('at info, logs each sign-in with its outcome and no secret, and no line for a fast request', async () => {
    const { server, lines } = await serverWithLog(['--log-level', 'info']);
    const client = server.client();
    expect((await client.post('/api/v1/accounts', { username: 'alice', password: PASSWORD })).status).toBe(201);
    expect((await client.post('/api/v1/session', { username: 'alice', password: 'wrong password!' })).status).toBe(401);
    const malformed = await client.post('/api/v1/session', { username: 'alice' });
    expect(malformed.status).toBe(400);
    expect((await client.post('/api/v1/session', { username: 'alice', password: PASSWORD })).status).toBe(200);
    const token = client.sessionCookie!;
    for (let i = 0; i < 5; i++) expect((await client.get('/api/v1/me')).status).toBe(200);
    expect((await client.get('/api/v1/health')).status).toBe(200);

    const signIns = lines.filter((line) => line.msg === 'sign-in');
    expect(signIns.map((line) => [line.route, line.statusCode, line.outcome])).toEqual([
      ['/api/v1/session', 401, 'invalid_credentials'],
      ['/api/v1/session', 400, malformed.json.error.code],
      ['/api/v1/session', 200, 'signed_in'],
    ]);
    expect(signIns[0]).toMatchObject({ ip: '127.0.0.1', level: 30 });
    expect(typeof signIns[0]!.ms).toBe('number');
    // Nothing else at info for these fast requests: no line per request.
    expect(lines.filter((line) => line.msg !== 'sign-in' && (line.level as number) <= 30)).toEqual([]);
    const all = JSON.stringify(lines);
    for (const secret of [PASSWORD, 'wrong password!', token]) expect(all).not.toContain(secret);
  });

  it('logs a request slower than --slow-request-ms at info', async () => {
    // A password check (argon2id) takes well over a millisecond.
    const { server, lines } = await serverWithLog(['--log-level', 'info', '--slow-request-ms', '1']);
    const client = server.client();
    expect((await client.post('/api/v1/accounts', { username: 'bob', password: PASSWORD })).status).toBe(201);
    const slow = lines.find((line) => line.msg === 'slow request');
    expect(slow).toMatchObject({ method: 'POST', route: '/api/v1/accounts', statusCode: 201, level: 30 });
    expect(slow!.ms as number).toBeGreaterThanOrEqual(1);
  });

  it('at debug, logs every request', async () => {
    const { server, lines } = await serverWithLog(['--log-level', 'debug']);
    expect((await server.client().get('/api/v1/health')).status).toBe(200);
    expect(lines).toContainEqual(
      expect.objectContaining({ msg: 'request', method: 'GET', route: '/api/v1/health', statusCode: 200 }),
    );
  });

  it('at debug, logs the password change and the session list by their route patterns, with no secret', async () => {
    const { server, lines } = await serverWithLog(['--log-level', 'debug']);
    const alice = server.client();
    const laptop = server.client();
    const newPassword = 'a different passphrase 2';
    expect((await alice.post('/api/v1/accounts', { username: 'alice', password: PASSWORD })).status).toBe(201);
    expect((await alice.post('/api/v1/session', { username: 'alice', password: PASSWORD })).status).toBe(200);
    expect((await laptop.post('/api/v1/session', { username: 'alice', password: PASSWORD })).status).toBe(200);
    const tokens = [alice.sessionCookie!, laptop.sessionCookie!];
    const sessions = (await alice.get('/api/v1/me/sessions')).json.sessions as { id: string; current: boolean }[];
    const other = sessions.find((session) => !session.current)!;
    expect((await alice.delete(`/api/v1/me/sessions/${other.id}`)).status).toBe(204);
    const changed = await alice.post('/api/v1/me/password', { password: PASSWORD, newPassword });
    expect(changed.status, changed.text).toBe(200);

    const routes = lines.filter((line) => line.msg === 'request').map((line) => [line.method, line.route]);
    expect(routes).toEqual(
      expect.arrayContaining([
        ['GET', '/api/v1/me/sessions'],
        ['DELETE', '/api/v1/me/sessions/:id'],
        ['POST', '/api/v1/me/password'],
      ]),
    );
    const all = JSON.stringify(lines);
    for (const secret of [PASSWORD, newPassword, ...tokens, other.id]) expect(all).not.toContain(secret);
  });

  it('tells sign-in steps from their challenges and from sign-out', () => {
    expect(isSignInRoute({ method: 'POST', url: '/api/v1/session' })).toBe(true);
    expect(isSignInRoute({ method: 'POST', url: '/api/v1/session/totp' })).toBe(true);
    expect(isSignInRoute({ method: 'POST', url: '/api/v1/session/passkey/options' })).toBe(false);
    expect(isSignInRoute({ method: 'DELETE', url: '/api/v1/session' })).toBe(false);
    expect(isSignInRoute({ method: 'POST', url: '/api/v1/sessionx' })).toBe(false);
  });
});
