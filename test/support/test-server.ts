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
  /** The public origin, the same for every instance. */
  origin: string;
  dataDir: string;
  /** Pass it, with dataDir, to a new server to restart on the same data. */
  database: FreshDatabase;
  clock: FakeClock;
  /** The first instance. */
  server: LatchkeyServer;
  /** Every instance on the database (one unless the backend asks for more), one fake clock for all. */
  servers: LatchkeyServer[];
  /** A client of the next instance in turn: successive clients spread over the instances. */
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
  /** Keys the server had before (--previous-secret-key-file). */
  previousSecretKeys?: Buffer[];
  /** How often the server sweeps expired rows (real time); default the server's own. */
  sweepIntervalMs?: number;
}

/**
 * Starts the server, or with a backend of several instances (backends.ts) that many servers on one
 * database, as behind a load balancer: one public origin (the first's), one data folder and so one
 * secret key, one fake clock; each a server of its own, sharing nothing in memory.
 */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'latchkey-test-'));
  const backend = options.backend ?? sqliteBackend;
  const database = options.database ?? (await backend.freshDatabase());
  const clock = options.clock ?? new FakeClock();
  const start = async (extraArgs: string[]): Promise<{ server: LatchkeyServer; origin: string }> => {
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
        ...extraArgs,
      ],
      {},
    );
    if (parsed.kind !== 'run') throw new Error('unexpected command');
    const config = options.configure ? options.configure(parsed.config) : parsed.config;
    const server = await createLatchkeyServer({
      config,
      clock: clock as Clock,
      ...(options.logStream ? { logStream: options.logStream } : {}),
      ...(options.secretKey ? { secretKey: Buffer.from(options.secretKey) } : {}),
      ...(options.previousSecretKeys
        ? { previousSecretKeys: options.previousSecretKeys.map((key) => Buffer.from(key)) }
        : {}),
      ...(options.sweepIntervalMs ? { sweepIntervalMs: options.sweepIntervalMs } : {}),
    });
    return { server, origin: await server.listen() };
  };
  const { server: first, origin } = await start([]);
  const servers = [first];
  for (let index = 1; index < backend.instances; index++) {
    servers.push((await start(['--public-origin', origin])).server);
  }
  let turn = 0;
  return {
    origin,
    dataDir,
    database,
    clock,
    server: first,
    servers,
    client: () => new TestClient(origin, servers[turn++ % servers.length]!.port!),
    async close({ keepData = false } = {}) {
      await Promise.all(servers.map((server) => server.close()));
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

/** A client of the next instance in turn that carries `owner`'s session. */
export function clientWithSession(server: TestServer, owner: TestClient): TestClient {
  const client = server.client();
  client.sessionCookie = owner.sessionCookie;
  return client;
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
