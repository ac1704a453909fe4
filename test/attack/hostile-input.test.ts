// SECURITY.md "Hostile input": hostile input against every endpoint (the list is the server's own OpenAPI
// document, so a new endpoint is covered the day it lands): random JSON, wrong types, huge and
// deeply nested bodies, odd Unicode, missing and extra fields, prototype-poisoning keys, wrong
// content types, odd path parameters and credentials. Never a 5xx, always the JSON error shape,
// and a refused request changes nothing in the database. Seeded and bounded (fast-check).
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { HttpResponse, TestClient } from '../support/http-client.js';
import { enableTotp, PASSWORD, signedInClient, startTestServer, type TestServer } from '../support/test-server.js';
import { protectedStateOf } from './support/data-folder.js';
import { describeEachBackend, type TestBackend } from '../support/backends.js';
import { fcParameters, timeLimit } from './support/scale.js';
import { SoftAuthenticator } from './support/soft-authenticator.js';

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  enum?: unknown[];
};

interface Endpoint {
  method: string;
  path: string;
  body: JsonSchema | null;
}

const hostileString = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: 'binary', maxLength: 60 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom('', ' ', '\u0000', '\u202e', '\ud800', '𝕒𝕝𝕚𝕔𝕖', 'ａｌｉｃｅ', '../../etc/passwd'),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom('%00', '<script>alert(1)</script>', "' OR 1=1 --", '${7*7}', '\r\nSet-Cookie: x=1'),
  },
  { weight: 1, arbitrary: fc.string({ minLength: 200, maxLength: 3000 }) },
  { weight: 1, arbitrary: fc.stringMatching(/^[A-Za-z0-9_-]{43}$/) }, // well-formed token, unknown
  { weight: 1, arbitrary: fc.stringMatching(/^[0-9]{6}$/) },
  { weight: 1, arbitrary: fc.stringMatching(/^[a-z2-9]{5}-[a-z2-9]{5}$/) },
  { weight: 1, arbitrary: fc.constant(PASSWORD) },
);

const anyJson = fc.jsonValue({ maxDepth: 3 });

/** A value shaped by the body schema, with every part free to be wrong, missing or extra. */
function shaped(schema: JsonSchema | undefined, depth = 0): fc.Arbitrary<unknown> {
  const wrong = fc.oneof(anyJson, fc.constantFrom(null, true, 0, -1, 1e308, [], {}, '__proto__'));
  if (!schema || depth > 4) return wrong;
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  let right: fc.Arbitrary<unknown> = wrong;
  if (schema.enum) right = fc.oneof(fc.constantFrom(...schema.enum), hostileString);
  else if (types.includes('string')) right = hostileString;
  else if (types.includes('array')) right = fc.array(shaped(schema.items, depth + 1), { maxLength: 4 });
  else if (types.includes('object') || schema.properties) {
    const fields = Object.entries(schema.properties ?? {}).map(([name, field]) =>
      fc.option(shaped(field, depth + 1), { nil: undefined, freq: 5 }).map((value) => [name, value] as const),
    );
    right = fc
      .tuple(fc.tuple(...fields), fc.option(fc.dictionary(hostileString, anyJson, { maxKeys: 2 }), { freq: 4 }))
      .map(([pairs, extra]) => ({
        ...Object.fromEntries(pairs.filter(([, value]) => value !== undefined)),
        ...(extra ?? {}),
      }));
  }
  return fc.oneof({ weight: 6, arbitrary: right }, { weight: 1, arbitrary: wrong });
}

interface HostileRequest {
  body: { raw: string | Buffer; contentType: string | null } | null;
  pathParameter: string;
  rawPathParameter: string | null;
  auth: 'session' | 'none' | 'garbage-cookie' | 'garbage-bearer' | 'session-as-bearer';
  dropOrigin: boolean;
}

const contentTypes = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'APPLICATION/JSON',
  'application/json; charset=latin1',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  'application/vnd.api+json',
  null,
);

function hostileBody(schema: JsonSchema | null): fc.Arbitrary<HostileRequest['body']> {
  const json = (value: fc.Arbitrary<unknown>) =>
    value.map((body) => ({ raw: JSON.stringify(body) ?? 'null', contentType: 'application/json' }));
  return fc.oneof(
    { weight: 8, arbitrary: json(shaped(schema ?? undefined)) },
    { weight: 2, arbitrary: json(anyJson) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(shaped(schema ?? undefined), contentTypes)
        .map(([body, contentType]) => ({ raw: JSON.stringify(body) ?? '', contentType })),
    },
    {
      weight: 1,
      arbitrary: fc
        .uint8Array({ maxLength: 200 })
        .map((bytes) => ({ raw: Buffer.from(bytes), contentType: 'application/json' })),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        { raw: '{"password": "x"', contentType: 'application/json' },
        { raw: '{"__proto__": {"admin": true}, "password": "x"}', contentType: 'application/json' },
        { raw: '{"constructor": {"prototype": {"admin": true}}}', contentType: 'application/json' },
        { raw: `{"name": "${'x'.repeat(70_000)}"}`, contentType: 'application/json' },
        { raw: `${'['.repeat(30_000)}${']'.repeat(30_000)}`, contentType: 'application/json' },
        { raw: `{"credential": ${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`, contentType: 'application/json' },
        { raw: '', contentType: 'application/json' },
        { raw: '\ufeff{}', contentType: 'application/json' },
      ),
    },
    { weight: 1, arbitrary: fc.constant(null) },
  );
}

function hostileRequest(endpoint: Endpoint): fc.Arbitrary<HostileRequest> {
  return fc.record({
    body: hostileBody(endpoint.body),
    pathParameter: fc.oneof(
      fc.constantFrom('1', '2', '0', '-1', '9'.repeat(40), '1e3', '%2e%2e', ' '.repeat(120)),
      hostileString,
    ),
    /** Sent as is: malformed percent-encoding the router itself must refuse. */
    rawPathParameter: fc.option(fc.constantFrom('%', '%zz', '%C0%AF', '..%2F', '%00', '%E0%A4%A'), { freq: 5 }),
    auth: fc.constantFrom(
      'session',
      'session',
      'session',
      'none',
      'garbage-cookie',
      'garbage-bearer',
      'session-as-bearer',
    ),
    dropOrigin: fc.boolean(),
  });
}

/** encodeURIComponent, with lone surrogates sent as the bytes a sloppy client would send. */
function encodeSegment(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return encodeURIComponent(text.replace(/[\ud800-\udfff]/g, '\ufffd'));
  }
}

describeEachBackend('hostile input, every endpoint', (backend: TestBackend) => {
  let server: TestServer;
  let alice: TestClient;
  let endpoints: Endpoint[];

  beforeAll(async () => {
    // Attempt limits out of the way: random passwords must keep reaching the code behind them.
    server = await startTestServer({
      backend,
      configure: (config) => ({ ...config, limits: { ...config.limits, accountThreshold: 1_000_000 } }),
    });
    alice = await signedInClient(server, 'alice');
    await enableTotp(server, alice);
    const key = new SoftAuthenticator({ origin: server.origin });
    const options = await alice.post('/api/v1/me/security-keys/options', { password: PASSWORD });
    await alice.post('/api/v1/me/security-keys', { name: 'Key', credential: key.register(options.json.options) });
    await signedInClient(server, 'bob');
    const document = (await server.client().get('/api/v1/openapi.json')).json;
    endpoints = Object.entries(
      document.paths as Record<
        string,
        Record<string, { requestBody?: { content: Record<string, { schema: JsonSchema }> } }>
      >,
    ).flatMap(([path, operations]) =>
      Object.entries(operations).map(([method, operation]) => ({
        method: method.toUpperCase(),
        path,
        body: operation.requestBody?.content['application/json']?.schema ?? null,
      })),
    );
    endpoints.push(
      { method: 'GET', path: '/api/v1/health', body: null },
      { method: 'GET', path: '/api/v1/openapi.json', body: null },
      { method: 'POST', path: '/api/v1/{id}', body: null },
      { method: 'PUT', path: '/api/v1/me', body: null },
    );
  });
  afterAll(() => server.close());

  function send(endpoint: Endpoint, request: HostileRequest): Promise<HttpResponse> {
    // The sign-out endpoint would end alice's session for every later run; it gets the rest.
    const auth =
      endpoint.path === '/api/v1/session' && endpoint.method === 'DELETE' && request.auth.startsWith('session')
        ? 'garbage-cookie'
        : request.auth;
    const client = server.client();
    const headers: Record<string, string> = {};
    if (auth === 'session' || auth === 'session-as-bearer') client.sessionCookie = alice.sessionCookie;
    if (auth === 'session-as-bearer') headers.authorization = `Bearer ${alice.sessionCookie}`;
    if (auth === 'garbage-cookie') headers.cookie = 'latchkey_session=%%%; latchkey_session=; =;;';
    if (auth === 'garbage-bearer') headers.authorization = 'Bearer \u00ff\u00fe x';
    if (request.body?.contentType) headers['content-type'] = request.body.contentType;
    const path = endpoint.path.replace('{id}', request.rawPathParameter ?? encodeSegment(request.pathParameter));
    return client.send(endpoint.method, path, {
      ...(request.body ? { rawBody: request.body.raw } : {}),
      headers,
      noOrigin: request.dropOrigin,
    });
  }

  it('the OpenAPI document lists the endpoints docs/api.md names', () => {
    const listed = endpoints.map((endpoint) => `${endpoint.method} ${endpoint.path}`);
    for (const expected of [
      'POST /api/v1/accounts',
      'POST /api/v1/session',
      'POST /api/v1/session/totp',
      'POST /api/v1/session/backup-code',
      'POST /api/v1/session/security-key/options',
      'POST /api/v1/session/security-key',
      'POST /api/v1/session/passkey/options',
      'POST /api/v1/session/passkey',
      'DELETE /api/v1/session',
      'GET /api/v1/me',
      'POST /api/v1/me/totp/setup',
      'POST /api/v1/me/totp/enable',
      'POST /api/v1/me/totp/disable',
      'POST /api/v1/me/backup-codes',
      'POST /api/v1/me/security-keys/options',
      'POST /api/v1/me/security-keys',
      'GET /api/v1/me/security-keys',
      'PATCH /api/v1/me/security-keys/{id}',
      'DELETE /api/v1/me/security-keys/{id}',
      'GET /api/v1/me/events',
    ]) {
      expect(listed).toContain(expected);
    }
  });

  it(
    'never answers 5xx, always answers a refusal in the JSON error shape, and a refusal changes nothing',
    async () => {
      const statuses: Record<string, number> = {};
      for (const endpoint of endpoints) {
        await fc.assert(
          fc.asyncProperty(hostileRequest(endpoint), async (request) => {
            const before = await protectedStateOf(server.server.storage);
            const response = await send(endpoint, request);
            const label = `${endpoint.method} ${endpoint.path} → ${response.status} ${response.text.slice(0, 300)}`;
            statuses[response.status] = (statuses[response.status] ?? 0) + 1;
            expect(response.status, label).toBeLessThan(500);
            expect(response.text, label).not.toMatch(/\n\s+at |node_modules|SqliteError|DatabaseError/);
            if (response.status >= 400) {
              expect(response.headers['content-type'], label).toMatch(/^application\/json/);
              expect(response.json, label).toEqual({
                error: { code: expect.stringMatching(/^[a-z_]+$/), message: expect.stringMatching(/\S/) },
              });
              if (response.status === 429) expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
              expect(await protectedStateOf(server.server.storage), `${label}: a refusal changed the database`).toBe(
                before,
              );
            }
          }),
          fcParameters(100, 2000),
        );
      }
      // The runs reached past the front door: refusals of several kinds, and some successes.
      console.log(`hostile input: answers by status ${JSON.stringify(statuses)}`);
      expect(Object.keys(statuses).length, JSON.stringify(statuses)).toBeGreaterThanOrEqual(6);
    },
    timeLimit(240_000),
  );
});
