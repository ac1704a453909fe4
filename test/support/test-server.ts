// Starts a real Latchkey server in this process: a fresh temporary data folder and a fresh database
// of the chosen backend (SQLite by default; test/support/backends.ts), real HTTP on 127.0.0.1 (a
// free port), with a fake clock unless a test asks otherwise.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database as SqliteConnection } from 'better-sqlite3';
import { createLatchkeyServer, type LatchkeyServer } from '../../server/app.js';
import { parseCommandLine, type ServerConfig } from '../../server/config.js';
import type { Clock } from '../../server/platform/clock.js';
import { decodeSecret, codeAt } from '../../server/modules/totp/totp-codes.js';
import { sqliteBackend, type FreshDatabase, type TestBackend } from './backends.js';
import { FakeClock } from './fake-clock.js';
import { TestClient } from './http-client.js';

export interface TestServer {
  origin: string;
  dataDir: string;
  /** Pass it, with dataDir, to a new server to restart on the same data. */
  database: FreshDatabase;
  clock: FakeClock;
  server: LatchkeyServer;
  client(): TestClient;
  /**
   * Stops the server and deletes its data. With keepData, the data stays for a restart; a later
   * close() (the fixture's, withTestServer) then only deletes it.
   */
  close(options?: { keepData?: boolean }): Promise<void>;
}

export interface TestServerOptions {
  /** Where the data lives; SQLite in the data folder unless a test says otherwise. */
  backend?: TestBackend;
  /** An existing database (a restart); the server that closes last without keepData drops it. */
  database?: FreshDatabase;
  args?: string[];
  clock?: FakeClock;
  dataDir?: string;
  configure?: (config: ServerConfig) => ServerConfig;
  logStream?: NodeJS.WritableStream;
  secretKey?: Buffer;
  /** How often the server sweeps expired rows (real time); default the server's own. */
  sweepIntervalMs?: number;
}

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'latchkey-test-'));
  const database = options.database ?? (await (options.backend ?? sqliteBackend).freshDatabase());
  const parsed = parseCommandLine(
    [
      '--port',
      '0',
      '--data-dir',
      dataDir,
      '--log-level',
      options.logStream ? 'info' : 'silent',
      ...database.args,
      ...(options.args ?? []),
    ],
    {},
  );
  if (parsed.kind !== 'run') throw new Error('unexpected command');
  const config = options.configure ? options.configure(parsed.config) : parsed.config;
  const clock = options.clock ?? new FakeClock();
  const server = await createLatchkeyServer({
    config,
    clock: clock as Clock,
    ...(options.logStream ? { logStream: options.logStream } : {}),
    ...(options.secretKey ? { secretKey: Buffer.from(options.secretKey) } : {}),
    ...(options.sweepIntervalMs ? { sweepIntervalMs: options.sweepIntervalMs } : {}),
  });
  const origin = await server.listen();
  const address = server.app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  let closed = false;
  return {
    origin,
    dataDir,
    database,
    clock,
    server,
    client: () => new TestClient(origin, port),
    async close({ keepData = false } = {}) {
      if (!closed) {
        closed = true;
        await server.close();
      }
      if (keepData) return;
      await database.drop();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The current authenticator-app code for a Base32 secret at the fake clock's time. */
export function totpCode(secretBase32: string, clock: Clock, offsetSteps = 0): string {
  return codeAt(decodeSecret(secretBase32), clock.now() + offsetSteps * 30_000);
}

export const PASSWORD = 'correct horse battery';

/** Creates an account and signs it in; the client keeps the session cookie. */
export async function signedInClient(server: TestServer, username = 'alice', password = PASSWORD): Promise<TestClient> {
  const client = server.client();
  const created = await client.post('/api/v1/accounts', { username, password });
  if (created.status !== 201) throw new Error(`account not created: ${created.text}`);
  const signedIn = await client.post('/api/v1/session', { username, password });
  if (signedIn.json?.status !== 'signed_in') throw new Error(`not signed in: ${signedIn.text}`);
  return client;
}

/** The types of the client's account's security events, newest first (GET /api/v1/me/events). */
export async function eventTypes(client: TestClient): Promise<string[]> {
  return (await client.get('/api/v1/me/events')).json.events.map((event: { type: string }) => event.type);
}

/** Turns TOTP on for a signed-in client; returns the secret and the ten backup codes. */
export async function enableTotp(
  server: TestServer,
  client: TestClient,
  password = PASSWORD,
): Promise<{ secret: string; backupCodes: string[] }> {
  const setup = await client.post('/api/v1/me/totp/setup', { password });
  if (setup.status !== 200) throw new Error(`setup failed: ${setup.text}`);
  const enabled = await client.post('/api/v1/me/totp/enable', { code: totpCode(setup.json.secret, server.clock) });
  if (enabled.status !== 200) throw new Error(`enable failed: ${enabled.text}`);
  return { secret: setup.json.secret, backupCodes: enabled.json.backupCodes };
}

/** The SQLite connection under a SQLite test server, for tests that reach underneath (faults). */
export function sqliteConnectionOf(server: TestServer): SqliteConnection {
  const { storage } = server.server;
  if (storage.kind !== 'sqlite') throw new Error(`This test needs SQLite; the server runs on ${storage.kind}.`);
  return storage.database.connection;
}
