// What reaches the server below the API: requests that stall, that HTTP itself refuses (oversized
// headers, conflicting lengths, broken request lines, no Host), that spell the path another way or
// name the server in the request line, and that repeat a header that must appear once. Each is
// answered in the error shape of docs/api.md "Errors" with the security headers and `Cache-Control:
// no-store`, and none holds a connection for longer than the configured timeouts. Raw sockets
// throughout: node's own client would not send most of these. On SQLite and on PostgreSQL.
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachBackend, type TestBackend } from '../support/backends.js';
import type { TestClient } from '../support/http-client.js';
import { PASSWORD, signedInClient, startTestServer, type TestServer } from '../support/test-server.js';
import { timeLimit } from './support/scale.js';

interface RawAnswer {
  status: number;
  headers: Record<string, string[]>;
  body: string;
  /** Milliseconds from the first byte written until the server closed the connection. */
  closedAfterMs: number;
}

/** Writes `chunks` to a fresh connection and reads until the server closes it (or `giveUpMs`). */
function rawExchange(port: number, chunks: string[], giveUpMs = 20_000, address = '127.0.0.1'): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(port, address);
    let text = '';
    let started = 0;
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the server kept the connection open for ${giveUpMs} ms; it sent: ${text.slice(0, 200)}`));
    }, giveUpMs);
    socket.on('connect', () => {
      started = performance.now();
      for (const chunk of chunks) socket.write(chunk);
    });
    socket.on('data', (data: Buffer) => (text += data.toString('latin1')));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(parseAnswer(text, performance.now() - started));
    });
  });
}

function parseAnswer(text: string, closedAfterMs: number): RawAnswer {
  const end = text.indexOf('\r\n\r\n');
  const head = end < 0 ? text : text.slice(0, end);
  const [statusLine = '', ...lines] = head.split('\r\n');
  const headers: Record<string, string[]> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).trim().toLowerCase();
    (headers[name] ??= []).push(line.slice(colon + 1).trim());
  }
  let body = end < 0 ? '' : text.slice(end + 4);
  if (headers['transfer-encoding']?.[0] === 'chunked') body = dechunk(body);
  return { status: Number(statusLine.split(' ')[1] ?? 0), headers, body, closedAfterMs };
}

function dechunk(body: string): string {
  let out = '';
  let rest = body;
  for (;;) {
    const lineEnd = rest.indexOf('\r\n');
    const size = parseInt(rest.slice(0, lineEnd), 16);
    if (!size) return out;
    out += rest.slice(lineEnd + 2, lineEnd + 2 + size);
    rest = rest.slice(lineEnd + 4 + size);
  }
}

function expectContract(answer: RawAnswer, status: number, code?: string): void {
  const label = `${answer.status} ${JSON.stringify(answer.headers)} ${answer.body.slice(0, 300)}`;
  expect(answer.status, label).toBe(status);
  expect(answer.headers['content-type']?.[0], label).toMatch(/^application\/json/);
  const parsed = JSON.parse(answer.body) as { error: { code: string; message: string } };
  expect(parsed.error.message, label).toMatch(/\S\.$/);
  if (code) expect(parsed.error.code, label).toBe(code);
  expect(answer.headers['content-security-policy']?.[0], label).toMatch(/frame-ancestors 'none'/);
  expect(answer.headers['x-content-type-options'], label).toEqual(['nosniff']);
  expect(answer.headers['cache-control'], label).toEqual(['no-store']);
}

describeEachBackend(
  'below the API',
  (backend: TestBackend) => {
    let server: TestServer;
    let alice: TestClient;
    let port: number;
    let host: string;

    beforeAll(async () => {
      server = await startTestServer({
        backend,
        args: ['--request-timeout-seconds', '2', '--headers-timeout-seconds', '1', '--keep-alive-timeout-seconds', '1'],
      });
      alice = await signedInClient(server, 'alice');
      port = alice.port;
      host = `localhost:${port}`;
    });
    afterAll(() => server.close());

    it('answers a body that stalls with 408 and closes the connection once the request timeout is up', async () => {
      const answer = await rawExchange(port, [
        `POST /api/v1/session HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: 65536\r\n\r\n{"username":`,
      ]);
      expectContract(answer, 408, 'request_timeout');
      // 2 s, checked once a second by node: well before the old 300 s.
      expect(answer.closedAfterMs).toBeGreaterThan(1500);
      expect(answer.closedAfterMs).toBeLessThan(10_000);
    });

    it('answers headers that stall with 408 once the headers timeout is up', async () => {
      const answer = await rawExchange(port, [`GET /api/v1/health HTTP/1.1\r\nHost: ${host}\r\nX-Slow: a`]);
      expectContract(answer, 408, 'request_timeout');
      expect(answer.closedAfterMs).toBeLessThan(10_000);
    });

    it('closes an idle keep-alive connection after the keep-alive timeout', async () => {
      const answer = await rawExchange(port, [`GET /api/v1/health HTTP/1.1\r\nHost: ${host}\r\n\r\n`]);
      expect(answer.status).toBe(200);
      expect(answer.headers['keep-alive']?.[0]).toBe('timeout=1');
      expect(answer.closedAfterMs).toBeLessThan(10_000);
    });

    it('answers what HTTP itself refuses in the error shape, with the security headers', async () => {
      const cases: Array<[string, number]> = [
        [`GET /api/v1/health HTTP/1.1\r\nHost: ${host}\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`, 431],
        [
          `POST /api/v1/session HTTP/1.1\r\nHost: ${host}\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`,
          400,
        ],
        ['GARBAGE\r\n\r\n', 400],
        [`GET /api/v1/health HTTP/9.9\r\nHost: ${host}\r\n\r\n`, 400],
        [`GET /api/v1/health HTTP/1.1\r\nHost: ${host}\r\nBad Header: x\r\n\r\n`, 400],
        // RFC 9112 §3.2: an HTTP/1.1 request without Host is a 400.
        ['GET /api/v1/me HTTP/1.1\r\nConnection: close\r\n\r\n', 400],
      ];
      for (const [request, status] of cases) {
        expectContract(await rawExchange(port, [request]), status);
      }
    });

    it('answers the same on every loopback address it holds (::1 too), timeouts included', async () => {
      expect(server.server.addresses).toContain('127.0.0.1');
      for (const address of server.server.addresses) {
        const noHost = await rawExchange(
          port,
          ['GET /api/v1/me HTTP/1.1\r\nConnection: close\r\n\r\n'],
          20_000,
          address,
        );
        expectContract(noHost, 400);
        const stalled = await rawExchange(
          port,
          [`GET /api/v1/health HTTP/1.1\r\nHost: ${host}\r\nX-Slow: a`],
          20_000,
          address,
        );
        expectContract(stalled, 408, 'request_timeout');
        expect(stalled.closedAfterMs, address).toBeLessThan(10_000);
      }
    });

    it('refuses a request that repeats a header that must appear once, naming it', async () => {
      const cookie = `latchkey_session=${alice.sessionCookie}`;
      const origin = `Origin: ${server.origin}\r\n`;
      for (const [name, lines] of [
        ['Host', `Host: ${host}\r\nHost: evil.example\r\n`],
        ['Origin', `Host: ${host}\r\n${origin}${origin}`],
        ['Content-Type', `Host: ${host}\r\n${origin}Content-Type: application/json\r\nContent-Type: text/plain\r\n`],
        ['Authorization', `Host: ${host}\r\n${origin}Authorization: Bearer a\r\nAuthorization: Bearer b\r\n`],
        ['Cookie', `Host: ${host}\r\n${origin}Cookie: ${cookie}\r\nCookie: ${cookie}\r\n`],
      ] as const) {
        const answer = await rawExchange(port, [
          `POST /api/v1/me/totp/setup HTTP/1.1\r\n${lines}Content-Length: 2\r\nConnection: close\r\n\r\n{}`,
        ]);
        expectContract(answer, 400, 'duplicate_header');
        expect(JSON.parse(answer.body).error.message).toContain(name);
      }
      // Nothing was set up by any of them.
      expect((await alice.get('/api/v1/me')).json.twoFactor.totp).toBe(false);
    });

    it('decides no-store by the route it reached, whatever the spelling of the path', async () => {
      const body = JSON.stringify({ password: PASSWORD });
      const setup = await rawExchange(port, [
        `POST /%61pi/v1/me/totp/setup HTTP/1.1\r\nHost: ${host}\r\nOrigin: ${server.origin}\r\n` +
          `Cookie: latchkey_session=${alice.sessionCookie}\r\nContent-Type: application/json\r\n` +
          `Content-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`,
      ]);
      expect(setup.status, setup.body).toBe(200);
      expect(JSON.parse(setup.body).secret).toMatch(/^[A-Z2-7]{32}$/);
      expect(setup.headers['cache-control']).toEqual(['no-store']);

      const absolute = await rawExchange(port, [
        `GET http://${host}/api/v1/me HTTP/1.1\r\nHost: ${host}\r\nCookie: latchkey_session=${alice.sessionCookie}\r\nConnection: close\r\n\r\n`,
      ]);
      expect(absolute.status).toBe(200);
      expect(absolute.headers['cache-control']).toEqual(['no-store']);

      for (const path of ['/api/v1/nothing', '/%61pi/v1/nothing', '/api']) {
        const missing = await rawExchange(port, [`GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`]);
        expectContract(missing, 404, 'not_found');
      }
      const misdirected = await rawExchange(port, [
        `GET /api/v1/me HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n`,
      ]);
      expectContract(misdirected, 421, 'misdirected_request');
      const foreign = await rawExchange(port, [
        `DELETE /api/v1/session HTTP/1.1\r\nHost: ${host}\r\nOrigin: http://evil.example\r\nConnection: close\r\n\r\n`,
      ]);
      expectContract(foreign, 403, 'origin_mismatch');
    });

    it('checks the host named in an absolute-form request line, as RFC 9112 §3.2.2 has it replace Host', async () => {
      const answer = await rawExchange(port, [
        `GET http://evil.example/api/v1/me HTTP/1.1\r\nHost: ${host}\r\nCookie: latchkey_session=${alice.sessionCookie}\r\nConnection: close\r\n\r\n`,
      ]);
      expectContract(answer, 421, 'misdirected_request');
    });
  },
  { timeout: timeLimit(120_000) },
);
