// The SQLite repositories prepare each statement once; SQLite must not prepare it again on every
// run. It does when the plan depends on a bound value (a join beside an untyped `?`: constant
// propagation), and better-sqlite3 then compiles a new row builder with `Function()` on every
// read — about four times the cost of the read itself (docs/performance.md "CPU profiles").
//
// This counts those compiles while a second round of every common request runs against a real
// server on a real SQLite file: after the first round nothing should compile again. A read that
// returns plain rows (not .pluck(), not .raw()) and is prepared again shows up here; the compiles
// are recognised by the row builder's shape, so Fastify's and Ajv's own code generation (done on
// each route's first request, in the first round) does not count.
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import {
  PASSWORD,
  enableTotp,
  signedInClient,
  startTestServer,
  totpCode,
  type TestServer,
} from '../../support/test-server.js';

const RealFunction = globalThis.Function;
let rowBuilderCompiles: string[] = [];

beforeAll(() => {
  globalThis.Function = new Proxy(RealFunction, {
    apply(target, thisArg, args: unknown[]) {
      const body = String(args.at(-1));
      // better-sqlite3's rowFactory: `return (v0,v1) => ({"a":v0,"b":v1})`.
      if (/^return \([v\d,]*\) => \(\{/.test(body)) rowBuilderCompiles.push(body);
      return Reflect.apply(target, thisArg, args) as unknown;
    },
  });
});
afterAll(() => {
  globalThis.Function = RealFunction;
});

let server: TestServer;
afterEach(() => server?.close());

/** Every request a person's day brings, once, for a fresh account. */
async function everyCommonRequest(server: TestServer, username: string): Promise<void> {
  const client = await signedInClient(server, username);
  await client.get('/api/v1/me');
  await client.get('/api/v1/me/sessions');
  await client.get('/api/v1/me/events');
  const { secret, backupCodes } = await enableTotp(server, client);
  await client.get('/api/v1/me');
  // A new step for the TOTP sign-in: the one used to enable it is spent.
  server.clock.advance(30_000);
  const fresh = server.client();
  const first = await fresh.post('/api/v1/session', { username, password: PASSWORD });
  const totp = await fresh.post('/api/v1/session/totp', {
    ticket: first.json.ticket,
    code: totpCode(secret, server.clock),
  });
  expect(totp.status).toBe(200);
  await fresh.get('/api/v1/me');
  const second = await server.client().post('/api/v1/session', { username, password: PASSWORD });
  const backup = await server
    .client()
    .post('/api/v1/session/backup-code', { ticket: second.json.ticket, code: backupCodes[0] });
  expect(backup.status).toBe(200);
  await client.post('/api/v1/me/sessions/sign-out-others');
  await client.delete('/api/v1/session');
}

it('prepares no SQLite statement again on each run: a second round of requests compiles no row builder', async () => {
  server = await startTestServer();
  await everyCommonRequest(server, 'alice');
  rowBuilderCompiles = [];
  await everyCommonRequest(server, 'bob');
  expect(rowBuilderCompiles).toEqual([]);
});
