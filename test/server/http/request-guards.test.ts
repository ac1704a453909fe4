import { describe, expect } from 'vitest';
import { PASSWORD } from '../../support/test-server.js';
import { withTestServer } from '../../support/with-test-server.js';

describe('Host and Origin checks, security headers', () => {
  const it = withTestServer();

  it('answers a foreign Host with 421 misdirected_request (DNS rebinding)', async ({ server }) => {
    const client = server.client();
    for (const host of [
      'evil.example',
      `evil.example:${client.port}`,
      'localhost:1',
      `localhost.evil:${client.port}`,
    ]) {
      const response = await client.get('/api/v1/health', { headers: { host } });
      expect(response.status, host).toBe(421);
      expect(response.json.error.code).toBe('misdirected_request');
    }
  });

  it('accepts localhost, 127.0.0.1 and [::1] with the server port while bound to loopback', async ({ server }) => {
    const client = server.client();
    for (const name of ['localhost', '127.0.0.1', '[::1]']) {
      const response = await client.get('/api/v1/health', { headers: { host: `${name}:${client.port}` } });
      expect(response.status, name).toBe(200);
    }
  });

  it('refuses a state-changing request from a foreign Origin with 403 origin_mismatch', async ({ server }) => {
    const client = server.client();
    const response = await client.post(
      '/api/v1/accounts',
      { username: 'mallory', password: PASSWORD },
      {
        headers: { origin: 'http://evil.example' },
      },
    );
    expect(response.status).toBe(403);
    expect(response.json.error.code).toBe('origin_mismatch');
    // Nothing was created.
    const created = await client.post('/api/v1/accounts', { username: 'mallory', password: PASSWORD });
    expect(created.status).toBe(201);
  });

  it('accepts the loopback aliases of the public origin as origins', async ({ server }) => {
    const client = server.client();
    for (const [index, name] of ['localhost', '127.0.0.1', '[::1]'].entries()) {
      const response = await client.post(
        '/api/v1/accounts',
        { username: `user${index}`, password: PASSWORD },
        {
          headers: { origin: `http://${name}:${client.port}` },
        },
      );
      expect(response.status, name).toBe(201);
    }
  });

  it('requires an Origin on a cookie-authenticated change, but not on an anonymous one', async ({
    server,
    alice: client,
  }) => {
    const noOrigin = await client.post('/api/v1/me/totp/setup', { password: PASSWORD }, { noOrigin: true });
    expect(noOrigin.status).toBe(403);
    expect(noOrigin.json.error.code).toBe('origin_mismatch');
    const anonymous = await server
      .client()
      .post('/api/v1/session', { username: 'alice', password: PASSWORD }, { noOrigin: true });
    expect(anonymous.status).toBe(200);
    const reads = await client.get('/api/v1/me');
    expect(reads.status).toBe(200);
  });

  it('sends the security headers on every response, errors and pages included', async ({ server }) => {
    const client = server.client();
    for (const response of [
      await client.get('/api/v1/health'),
      await client.get('/'),
      await client.get('/api/v1/nope'),
      await client.get('/api/v1/health', { headers: { host: 'evil.example' } }),
    ]) {
      expect(response.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
      expect(response.headers['content-security-policy']).toMatch(/script-src 'self'/);
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['referrer-policy']).toBe('no-referrer');
    }
  });

  it('refuses to start beyond loopback without a public origin, and with a plain-http public origin', async () => {
    const { parseCommandLine, ConfigError } = await import('../../../server/config.js');
    expect(() => parseCommandLine(['--host', '0.0.0.0'], {})).toThrow(ConfigError);
    expect(() => parseCommandLine(['--public-origin', 'http://id.example.com'], {})).toThrow(/https/);
  });

  it('sets Secure cookies and accepts only the public host when the public origin is https', async ({
    startServer,
  }) => {
    const https = await startServer({ args: ['--public-origin', 'https://id.example.com'] });
    const client = https.client();
    const origin = { origin: 'https://id.example.com' };
    await client.post('/api/v1/accounts', { username: 'alice', password: PASSWORD }, { headers: origin });
    const response = await client.post(
      '/api/v1/session',
      { username: 'alice', password: PASSWORD },
      { headers: origin },
    );
    expect((response.headers['set-cookie'] as string[])[0]).toMatch(/; Secure/);
    expect((await client.get('/api/v1/health', { headers: { host: 'id.example.com' } })).status).toBe(200);
  });
});
