// SECURITY.md "A malicious web page in the same browser": foreign Host and Origin headers are
// refused (docs/api.md "Host check": DNS-rebinding defence; "Origin check": cross-site requests),
// for any value an attacker can put there, and a refused request changes nothing. Plus the requests
// Fastify refuses before routing (malformed URL): the same JSON error shape and security headers as
// everything else.
import { connect } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpResponse, TestClient } from '../support/http-client.js';
import { PASSWORD, signedInClient, startTestServer, type TestServer } from '../support/test-server.js';
import { protectedState, withDatabase } from './support/data-folder.js';
import { fcParameters, timeLimit } from './support/scale.js';

/** What a header may carry on the wire (node refuses the rest before sending). */
const headerText = fc.string({
  unit: fc.integer({ min: 0x21, max: 0x7e }).map((code) => String.fromCharCode(code)),
  minLength: 1,
  maxLength: 60,
});

function expectRefusal(response: HttpResponse, status: number, code: string): void {
  expect(response.status, response.text).toBe(status);
  expect(response.json.error.code).toBe(code);
  expect(response.json.error.message).toMatch(/\S/);
  expect(response.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
  expect(response.headers['x-content-type-options']).toBe('nosniff');
}

describe('foreign Host and Origin headers', { timeout: timeLimit(120_000) }, () => {
  let server: TestServer;
  let alice: TestClient;
  let port: number;
  let accepted: { hosts: Set<string>; origins: Set<string> };

  beforeAll(async () => {
    server = await startTestServer();
    alice = await signedInClient(server, 'alice');
    port = alice.port;
    accepted = {
      hosts: new Set(['localhost', '127.0.0.1', '[::1]'].map((name) => `${name}:${port}`)),
      origins: new Set(['localhost', '127.0.0.1', '[::1]'].map((name) => `http://${name}:${port}`)),
    };
  });
  afterAll(() => server.close());

  function nearMissHosts(): string[] {
    return [
      `localhost:${port}.evil.example`,
      `localhost:${port}@evil.example`,
      `evil.example#@localhost:${port}`,
      `localhost.:${port}`,
      `127.1:${port}`,
      `127.0.0.2:${port}`,
      `0.0.0.0:${port}`,
      `[::ffff:127.0.0.1]:${port}`,
      `localhost:${port + 1}`,
      `localhost:0${port}`,
      'localhost',
      '127.0.0.1',
      `evil.example:${port}`,
      `localhost:${port},evil.example`,
    ];
  }

  function nearMissOrigins(): string[] {
    return [
      'null',
      `http://localhost:${port}/`,
      `https://localhost:${port}`,
      `http://localhost:${port}.evil.example`,
      `http://evil.example`,
      `http://localhost`,
      `http://localhost:${port + 1}`,
      `http://127.0.0.2:${port}`,
      `http://LOCALHOST:${port}`,
      `file://`,
      `chrome-extension://abcdefghijklmnop`,
    ];
  }

  it('answers 421 misdirected_request to any foreign Host, on every method, and changes nothing', async () => {
    const before = withDatabase(server.dataDir, protectedState);
    const hosts = fc.oneof(headerText, fc.constantFrom(...nearMissHosts()));
    await fc.assert(
      fc.asyncProperty(hosts, fc.constantFrom('GET', 'POST', 'DELETE'), async (host, method) => {
        fc.pre(!accepted.hosts.has(host.toLowerCase()));
        const response = await alice.send(method, method === 'GET' ? '/api/v1/me' : '/api/v1/accounts', {
          headers: { host },
          ...(method === 'GET' ? {} : { json: { username: 'mallory', password: PASSWORD } }),
        });
        expectRefusal(response, 421, 'misdirected_request');
      }),
      fcParameters(150),
    );
    expect(withDatabase(server.dataDir, protectedState)).toBe(before);
  });

  it('refuses a request with no Host header: 400 from HTTP/1.1 itself (RFC 9112 §3.2), 421 for HTTP/1.0', async () => {
    const raw = (request: string) =>
      new Promise<string>((resolve, reject) => {
        const socket = connect(port, '127.0.0.1', () => socket.end(request));
        let text = '';
        socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
        socket.on('end', () => resolve(text));
        socket.on('error', reject);
      });
    const http11 = await raw('GET /api/v1/me HTTP/1.1\r\nConnection: close\r\n\r\n');
    expect(http11).toMatch(/^HTTP\/1\.1 400 /);
    const http10 = await raw('GET /api/v1/me HTTP/1.0\r\n\r\n');
    expect(http10).toMatch(/^HTTP\/1\.1 421 /);
    expect(JSON.parse(http10.slice(http10.indexOf('\r\n\r\n') + 4)).error.code).toBe('misdirected_request');
  });

  it('answers 403 origin_mismatch to any foreign Origin on a change, and changes nothing', async () => {
    const before = withDatabase(server.dataDir, protectedState);
    const origins = fc.oneof(
      fc.webUrl().map((url) => new URL(url).origin),
      headerText,
      fc.constantFrom(...nearMissOrigins()),
    );
    const changes: Array<[string, string, unknown]> = [
      ['POST', '/api/v1/accounts', { username: 'mallory', password: PASSWORD }],
      ['POST', '/api/v1/session', { username: 'alice', password: PASSWORD }],
      ['POST', '/api/v1/me/totp/setup', { password: PASSWORD }],
      ['POST', '/api/v1/me/security-keys/options', { password: PASSWORD }],
      ['DELETE', '/api/v1/session', undefined],
      ['PATCH', '/api/v1/me/security-keys/1', { name: 'x' }],
    ];
    await fc.assert(
      fc.asyncProperty(origins, fc.constantFrom(...changes), async (origin, [method, path, json]) => {
        fc.pre(!accepted.origins.has(origin));
        const response = await alice.send(method, path, { json, headers: { origin } });
        expectRefusal(response, 403, 'origin_mismatch');
      }),
      fcParameters(150),
    );
    expect(withDatabase(server.dataDir, protectedState)).toBe(before);
    expect(alice.sessionCookie).not.toBeNull();
    expect((await alice.get('/api/v1/me')).status).toBe(200);
  });

  it('answers 403 to a cookie-authenticated change that carries no Origin at all', async () => {
    const before = withDatabase(server.dataDir, protectedState);
    const response = await alice.post('/api/v1/me/totp/setup', { password: PASSWORD }, { noOrigin: true });
    expectRefusal(response, 403, 'origin_mismatch');
    expect(withDatabase(server.dataDir, protectedState)).toBe(before);
  });

  it('answers a malformed URL or an over-long path parameter in the JSON error shape, with the headers', async () => {
    for (const path of ['/api/v1/me/security-keys/%zz', '/api/v1/%', `/api/v1/me/security-keys/${'7'.repeat(500)}`]) {
      const response = await alice.patch(path, { name: 'x' });
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
      expectRefusal(response, response.status, response.json.error.code);
      expect(response.json.error.code).toMatch(/^(invalid_request|not_found)$/);
    }
  });
});
