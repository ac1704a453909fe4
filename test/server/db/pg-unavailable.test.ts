// A PostgreSQL that refuses writes (set read-only under the running server, as a standby or an
// operator would) gets 503 storage_unavailable with nothing changed, reads keep working, and the
// server recovers once it takes writes again; the same for connections cut under the server.
import pg from 'pg';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { describePostgres, postgresBackend } from '../../support/backends.js';
import type { TestClient } from '../../support/http-client.js';
import { enableTotp, PASSWORD, signedInClient, startTestServer, type TestServer } from '../../support/test-server.js';

describePostgres('PostgreSQL unavailable under a running server', () => {
  let server: TestServer;
  let admin: pg.Client;
  let alice: TestClient;

  beforeEach(async () => {
    server = await startTestServer({ backend: postgresBackend() });
    admin = new pg.Client({ connectionString: server.database.args[1] });
    await admin.connect();
    alice = await signedInClient(server);
    await enableTotp(server, alice);
  });
  afterEach(async () => {
    await admin.end();
    await server.close();
  });

  /** Ends the server's pooled connections, and waits until its pool has let them all go. */
  async function cutServerConnections(): Promise<void> {
    await admin.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
    );
    const { storage } = server.server;
    if (storage.kind !== 'postgres') throw new Error('not PostgreSQL');
    for (let attempt = 0; attempt < 200 && storage.database.pool.totalCount > 0; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(storage.database.pool.totalCount).toBe(0);
  }

  async function setReadOnly(on: boolean): Promise<void> {
    const { rows } = await admin.query<{ name: string }>('SELECT current_database() AS name');
    const setting = on ? 'SET default_transaction_read_only = on' : 'RESET default_transaction_read_only';
    await admin.query(`ALTER DATABASE ${rows[0]!.name} ${setting}`);
    await cutServerConnections();
  }

  it('answers changes 503 with Retry-After, changes nothing, serves reads, and recovers', async () => {
    const before = await alice.get('/api/v1/me');
    await setReadOnly(true);

    const regenerate = await alice.post('/api/v1/me/backup-codes', { password: PASSWORD });
    expect(regenerate.status, regenerate.text).toBe(503);
    expect(regenerate.json.error.code).toBe('storage_unavailable');
    expect(regenerate.headers['retry-after']).toBe('5');
    const signIn = await server.client().post('/api/v1/session', { username: 'alice', password: PASSWORD });
    expect(signIn.status, signIn.text).toBe(503);
    const now = await alice.get('/api/v1/me');
    expect(now.status).toBe(200);
    expect(now.json).toEqual(before.json);

    await setReadOnly(false);
    const recovered = await alice.post('/api/v1/me/backup-codes', { password: PASSWORD });
    expect(recovered.status, recovered.text).toBe(200);
    expect(recovered.json.backupCodes).toHaveLength(10);
  });

  it('opens new connections after its connections were cut, without a failed request', async () => {
    await cutServerConnections();
    const me = await alice.get('/api/v1/me');
    expect(me.status, me.text).toBe(200);
    expect(me.json.twoFactor.totp).toBe(true);
  });
});
