import { describe, expect } from 'vitest';
import { PASSWORD } from '../../support/test-server.js';
import { withTestServer } from '../../support/with-test-server.js';

function expectErrorShape(response: { status: number; json: { error?: { code?: unknown; message?: unknown } } }) {
  expect(response.status).toBeGreaterThanOrEqual(400);
  expect(response.status).toBeLessThan(500);
  expect(typeof response.json.error?.code).toBe('string');
  expect(response.json.error?.code).toMatch(/^[a-z_]+$/);
  expect(typeof response.json.error?.message).toBe('string');
  expect(response.json.error?.message).toMatch(/^[A-Z].*\.$/);
}

describe('bad input always gets a 4xx JSON error', () => {
  const it = withTestServer();

  it('answers a body that is not JSON with 400 invalid_request', async ({ server }) => {
    const response = await server.client().send('POST', '/api/v1/accounts', {
      rawBody: '{"username": ',
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(400);
    expect(response.json.error.code).toBe('invalid_request');
    expectErrorShape(response);
  });

  it('answers wrong types, missing fields and unknown fields with 400 invalid_request naming the field', async ({
    server,
  }) => {
    const client = server.client();
    const cases: Array<[unknown, RegExp]> = [
      [{ username: 42, password: PASSWORD }, /"username" must be a string/],
      [{ username: 'alice' }, /"password" is required/],
      [{ username: 'alice', password: PASSWORD, admin: true }, /"admin" is not accepted/],
      [[], /must be an object/],
      ['alice', /must be an object/],
      [null, /must be an object/],
    ];
    for (const [body, message] of cases) {
      const response = await client.post('/api/v1/accounts', body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.json.error.code).toBe('invalid_request');
      expect(response.json.error.message).toMatch(message);
    }
    // None of them created anything.
    expect((await client.post('/api/v1/session', { username: 'alice', password: PASSWORD })).status).toBe(401);
  });

  it('answers a body over 64 KiB with 413', async ({ server }) => {
    const response = await server
      .client()
      .post('/api/v1/accounts', { username: 'alice', password: 'x'.repeat(100 * 1024) });
    expect(response.status).toBe(413);
    expectErrorShape(response);
  });

  it('answers a non-JSON content type with 415', async ({ server }) => {
    const response = await server.client().send('POST', '/api/v1/accounts', {
      rawBody: 'username=alice&password=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(response.status).toBe(415);
    expectErrorShape(response);
  });

  it('lists every error code in the OpenAPI document, the new ones included, and 503 on every route', async ({
    server,
  }) => {
    const document = (await server.client().get('/api/v1/openapi.json')).json;
    const signIn = document.paths['/api/v1/session'].post.responses;
    const codes = signIn['429'].content['application/json'].schema.properties.error.properties.code.enum;
    for (const code of [
      'duplicate_header',
      'request_timeout',
      'headers_too_large',
      'malformed_password',
      'server_busy',
    ]) {
      expect(codes).toContain(code);
    }
    expect(signIn['503']).toBeDefined();
  });

  it('answers an unknown path with 404 in the same shape', async ({ server }) => {
    const response = await server.client().get('/api/v1/nothing-here');
    expect(response.status).toBe(404);
    expectErrorShape(response);
  });

  it('refuses oversized codes and tickets by schema, not by a crash', async ({ alice: client }) => {
    const response = await client.post('/api/v1/me/totp/enable', { code: '1'.repeat(10_000) });
    expect(response.status).toBe(400);
    expectErrorShape(response);
  });
});

describe('GET /api/v1/health and the OpenAPI document', () => {
  const it = withTestServer();

  it('reports ok, the package version, and whether registration is open', async ({ server, startServer }) => {
    const response = await server.client().get('/api/v1/health');
    expect(response.status).toBe(200);
    expect(response.json).toEqual({
      status: 'ok',
      version: expect.stringMatching(/^\d+\.\d+\.\d+/),
      registrationOpen: true,
    });
    const closed = await startServer({ args: ['--registration', 'closed'] });
    expect((await closed.client().get('/api/v1/health')).json.registrationOpen).toBe(false);
  });

  it('describes every endpoint of docs/api.md', async ({ server }) => {
    const response = await server.client().get('/api/v1/openapi.json');
    expect(response.status).toBe(200);
    expect(response.json.openapi).toMatch(/^3\./);
    const paths = Object.keys(response.json.paths);
    for (const path of [
      '/api/v1/health',
      '/api/v1/accounts',
      '/api/v1/session',
      '/api/v1/session/totp',
      '/api/v1/session/backup-code',
      '/api/v1/me',
      '/api/v1/me/totp/setup',
      '/api/v1/me/totp/enable',
      '/api/v1/me/totp/disable',
      '/api/v1/me/backup-codes',
      '/api/v1/me/events',
    ]) {
      expect(paths).toContain(path);
    }
    const accountBody = response.json.paths['/api/v1/accounts'].post.requestBody.content['application/json'].schema;
    expect(accountBody.additionalProperties).toBe(false);
  });
});
