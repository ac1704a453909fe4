// Health for a load balancer (docs/deployment.md "Health checks"), on each backend: liveness
// answers while the process does; readiness only while the database answers and the server is not
// stopping; both answer the Host a probe names (its own address), which the API does not.
import pg from 'pg';
import { afterEach, beforeEach, expect, inject, it } from 'vitest';
import { describeEachBackend, describePostgres, postgresBackend } from '../../../support/backends.js';
import { signedInClient, startTestServer, type TestServer } from '../../../support/test-server.js';

describeEachBackend('health', (backend) => {
  let server: TestServer;
  beforeEach(async () => {
    server = await startTestServer({ backend });
  });
  afterEach(() => server.close());

  it('keeps /api/v1/health as it was, and adds liveness and readiness', async () => {
    const client = server.client();
    const health = await client.get('/api/v1/health');
    expect(health.status).toBe(200);
    expect(health.json).toEqual({ status: 'ok', version: expect.any(String), registrationOpen: true });
    for (const path of ['/api/v1/health/live', '/api/v1/health/ready']) {
      const answer = await client.get(path);
      expect(answer.status, path).toBe(200);
      expect(answer.json).toEqual({ status: 'ok' });
      expect(answer.headers['cache-control']).toBe('no-store');
    }
  });

  it('answers the probes for any Host, and nothing else', async () => {
    const probe = { headers: { host: '10.0.0.7:4680' } };
    const client = server.client();
    expect((await client.get('/api/v1/health/live', probe)).status).toBe(200);
    expect((await client.get('/api/v1/health/ready', probe)).status).toBe(200);
    for (const path of ['/api/v1/health', '/api/v1/me', '/api/v1/health/nothing']) {
      const answer = await client.get(path, probe);
      expect(answer.status, path).toBe(421);
      expect(answer.json.error.code).toBe('misdirected_request');
    }
  });

  it('is not ready once it stops, while it still serves, each answer closing its connection', async () => {
    await server.close();
    server = await startTestServer({ backend, args: ['--shutdown-delay-seconds', '1'] });
    const alice = await signedInClient(server);
    const stopped = server.server.close();
    const ready = await server.client().get('/api/v1/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.json).toEqual({ status: 'unavailable', reason: 'stopping' });
    expect((await server.client().get('/api/v1/health/live')).status).toBe(200);
    const me = await alice.get('/api/v1/me');
    expect(me.status).toBe(200);
    expect(me.headers.connection).toBe('close');
    await stopped;
    await expect(alice.get('/api/v1/me')).rejects.toThrow(/ECONNREFUSED/);
  });
});

describePostgres('readiness while PostgreSQL refuses connections', () => {
  let server: TestServer;
  let admin: pg.Client;
  let name: string;
  beforeEach(async () => {
    server = await startTestServer({ backend: postgresBackend() });
    name = new URL(server.database.args[1]!).pathname.slice(1);
    const context = inject('postgres');
    if (!context.available) throw new Error(context.reason);
    admin = new pg.Client({ connectionString: context.adminUrl });
    await admin.connect();
  });
  afterEach(async () => {
    await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
    await admin.end();
    await server.close();
  });

  it('answers 503 database_unreachable, then 200 again once it can connect', async () => {
    const client = server.client();
    await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
    await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [name]);
    const down = await client.get('/api/v1/health/ready');
    expect(down.status, down.text).toBe(503);
    expect(down.json).toEqual({ status: 'unavailable', reason: 'database_unreachable' });
    expect((await client.get('/api/v1/health/live')).status).toBe(200);
    await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
    const up = await client.get('/api/v1/health/ready');
    expect(up.status, up.text).toBe(200);
  });
});
