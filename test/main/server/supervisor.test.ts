// The bundled-server supervisor with a real child process of the built server under Node
// (support/node-launcher.ts stands in for Electron's utilityProcess, which needs the Electron
// runtime): real port, real SQLite data folder, real health checks over HTTP.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { codeAt, decodeSecret } from '../../../server/modules/totp/totp-codes.js';
import { createLogger } from '../../../src-main/logging/logger.js';
import { RotatingFile } from '../../../src-main/logging/rotating-file.js';
import { findFreePort } from '../../../src-main/server/free-port.js';
import { checkHealthOnce } from '../../../src-main/server/health-check.js';
import {
  ServerStartError,
  ServerSupervisor,
  type StateDetail,
  type SupervisorOptions,
  type SupervisorState,
} from '../../../src-main/server/supervisor.js';
import { hasIpv6Loopback, holdPortOn, isFree } from '../../support/foreign-listener.js';
import { TestClient } from '../../support/http-client.js';
import { ROOT, runBuild, snapshotServer } from '../support/build.js';
import { nodeForkLauncher, type LaunchRecord } from '../support/node-launcher.js';
import { freePortBetween } from '../support/ports.js';

const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const PASSWORD = 'correct horse battery';

let server: ReturnType<typeof snapshotServer> | null = null;
beforeAll(() => {
  runBuild('build:server');
  server = snapshotServer();
}, 120_000);
afterAll(() => server?.remove());

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function supervised(overrides: Partial<SupervisorOptions> & { key?: Buffer } = {}) {
  const dataDir = overrides.dataDir ?? join(mkdtempSync(join(tmpdir(), 'latchkey-supervised-')), 'server');
  const records: LaunchRecord[] = [];
  const states: SupervisorState[] = [];
  const key = overrides.key ?? randomBytes(32);
  const supervisor = new ServerSupervisor({
    launcher: nodeForkLauncher(records),
    modulePath: server!.main,
    dataDir,
    secretKey: async () => Buffer.from(key),
    findPort: () => freePortBetween(4831, 4849),
    healthTimeoutMs: 20_000,
    onStateChange: (state) => states.push(state),
    ...overrides,
  });
  cleanups.push(async () => {
    await supervisor.stop();
    rmSync(join(dataDir, '..'), { recursive: true, force: true });
  });
  return { supervisor, dataDir, records, states, key };
}

/** A stand-in server module (its source), in a folder removed after the test. */
function fixtureServer(source: string): string {
  const folder = mkdtempSync(join(tmpdir(), 'latchkey-fixture-server-'));
  cleanups.push(() => rmSync(folder, { recursive: true, force: true }));
  writeFileSync(join(folder, 'main.mjs'), source);
  return join(folder, 'main.mjs');
}

const waitForState = (states: SupervisorState[], state: SupervisorState, count = 1) =>
  expect
    .poll(() => states.filter((entry) => entry === state).length, { timeout: 20_000 })
    .toBeGreaterThanOrEqual(count);

describe('ServerSupervisor', () => {
  it('starts the server on loopback, healthy, with its key handed over in memory only', async () => {
    const { supervisor, dataDir, records, key } = supervised();
    const origin = await supervisor.start();
    expect(origin).toMatch(/^http:\/\/localhost:48(3[1-9]|4\d)$/);
    expect(supervisor.state).toBe('running');
    expect(await checkHealthOnce(origin.replace('localhost', '127.0.0.1'))).toEqual({ status: 'ok', version: VERSION });

    expect(records[0]!.args).toEqual(expect.arrayContaining(['--host', '127.0.0.1', '--data-dir', dataDir]));
    expect(records[0]!.env.LATCHKEY_SECRET_KEY).toBe(key.toString('base64'));
    // The data folder holds the database, and no key: not as a file, not inside any file.
    const files = readdirSync(dataDir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
    expect(files.map((entry) => entry.name)).toContain('latchkey.db');
    expect(files.map((entry) => entry.name)).not.toContain('secret.key');
    for (const file of files) expect(readFileSync(join(file.parentPath, file.name)).includes(key)).toBe(false);
  });

  it('lets the server keep its key file when the keychain is unavailable, and passes on no stray key', async () => {
    const { supervisor, dataDir, records } = supervised({
      secretKey: async () => undefined,
      baseEnv: { ...process.env, LATCHKEY_SECRET_KEY: randomBytes(32).toString('base64') },
    });
    await supervisor.start();
    expect(records[0]!.env).not.toHaveProperty('LATCHKEY_SECRET_KEY');
    expect(readFileSync(join(dataDir, 'secret.key'))).toHaveLength(32);
  });

  it("keeps the app's data in its own SQLite file whatever LATCHKEY_DATABASE_* the user's environment holds", async () => {
    const { supervisor, dataDir, records } = supervised({
      baseEnv: {
        ...process.env,
        LATCHKEY_DATABASE_URL: 'postgres://latchkey@db.example.com/latchkey',
        LATCHKEY_DATABASE_POOL_SIZE: '3',
      },
    });
    await supervisor.start();
    expect(Object.keys(records[0]!.env).filter((name) => name.startsWith('LATCHKEY_DATABASE_'))).toEqual([]);
    expect(readdirSync(dataDir)).toContain('latchkey.db');
  });

  it('runs the same data with the same key after a restart (TOTP secrets still decrypt)', async () => {
    const first = supervised();
    const origin = await first.supervisor.start();
    const client = new TestClient(origin);
    expect((await client.post('/api/v1/accounts', { username: 'alice', password: PASSWORD })).status).toBe(201);
    expect((await client.post('/api/v1/session', { username: 'alice', password: PASSWORD })).status).toBe(200);
    const setup = await client.post('/api/v1/me/totp/setup', { password: PASSWORD });
    const secret = decodeSecret(setup.json.secret as string);
    expect((await client.post('/api/v1/me/totp/enable', { code: codeAt(secret, Date.now()) })).status).toBe(200);
    await first.supervisor.stop();
    expect(first.records[0]!.exitCode).toBe(0);

    const second = supervised({ dataDir: first.dataDir, key: first.key });
    const again = new TestClient(await second.supervisor.start());
    const signIn = await again.post('/api/v1/session', { username: 'alice', password: PASSWORD });
    expect(signIn.json.status).toBe('second_factor_required');
    // The next time step's code: the enabling step was used already (RFC 6238 §5.2).
    const verified = await again.post('/api/v1/session/totp', {
      ticket: signIn.json.ticket,
      code: codeAt(secret, Date.now() + 30_000),
    });
    expect(verified.status).toBe(200);
    expect(verified.json.status).toBe('signed_in');
  });

  it('restarts a server that dies, once, then reports it failed', async () => {
    const { supervisor, records, states } = supervised();
    const origin = await supervisor.start();
    process.kill(records[0]!.pid!, 'SIGKILL');
    await waitForState(states, 'running', 2);
    expect(states).toContain('restarting');
    expect(records).toHaveLength(2);
    expect(records[1]!.pid).not.toBe(records[0]!.pid);
    expect(supervisor.origin).toBe(origin);
    expect(await checkHealthOnce(origin)).not.toBeNull();

    process.kill(records[1]!.pid!, 'SIGKILL');
    await waitForState(states, 'failed');
    expect(records).toHaveLength(2);
    expect(supervisor.error).toMatch(/stopped unexpectedly .* already restarted once/);
  });

  it('stops the server cleanly with the shutdown message and frees the port', async () => {
    const { supervisor, records } = supervised();
    const origin = await supervisor.start();
    await supervisor.stop();
    expect(supervisor.state).toBe('stopped');
    expect(records[0]!.exitCode).toBe(0);
    expect(records[0]!.signal).toBeNull();
    expect(await checkHealthOnce(origin, 500)).toBeNull();
  });

  it("fails to start with the server's own sentence when its data folder is unusable", async () => {
    const parent = mkdtempSync(join(tmpdir(), 'latchkey-supervised-'));
    const dataDir = join(parent, 'server');
    writeFileSync(dataDir, 'not a folder');
    const { supervisor, states } = supervised({ dataDir });
    await expect(supervisor.start()).rejects.toThrow(
      /^The bundled server could not start: The data folder .*server cannot be used/,
    );
    expect(states.at(-1)).toBe('failed');
    expect(existsSync(join(parent, 'server', 'latchkey.db'))).toBe(false);
  });

  it('keeps the whole cause when the server dies before it can say a sentence (a module that fails to load)', async () => {
    // What Node prints for a native addon built for another Node: a stack, no "latchkey:" line.
    const broken = fixtureServer(
      "process.stderr.write('node:internal/modules/cjs/loader:1921\\n  return process.dlopen(module, path.toNamespacedPath(filename));\\n');\n" +
        "process.stderr.write('Error: The module was compiled against a different Node.js version using\\nNODE_MODULE_VERSION 127. This version of Node.js requires\\nNODE_MODULE_VERSION 137. <Please> rebuild it.\\n');\n" +
        'process.exit(1);\n',
    );
    const details: StateDetail[] = [];
    const output: string[] = [];
    const { supervisor } = supervised({
      modulePath: broken,
      onStateChange: (_state, detail) => details.push(detail),
      onOutput: (_stream, text) => output.push(text),
    });
    const failure = await supervisor.start().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ServerStartError);
    expect((failure as ServerStartError).message).toBe('The bundled server stopped (exit code 1) before it was ready.');
    const whole = (failure as ServerStartError).output;
    expect(whole.split('\n')).toEqual([
      'node:internal/modules/cjs/loader:1921',
      '  return process.dlopen(module, path.toNamespacedPath(filename));',
      'Error: The module was compiled against a different Node.js version using',
      'NODE_MODULE_VERSION 127. This version of Node.js requires',
      'NODE_MODULE_VERSION 137. <Please> rebuild it.',
    ]);
    expect(details.at(-1)).toMatchObject({ error: (failure as Error).message, output: whole });
    expect(output.join('')).toContain('NODE_MODULE_VERSION 137');
  });

  it("logs the server's output to the log file, and never its key, even when the server prints it", async () => {
    const leaky = fixtureServer(
      "process.stdout.write('starting\\n');\n" +
        "process.stderr.write('my environment: LATCHKEY_SECRET_KEY=' + process.env.LATCHKEY_SECRET_KEY + '\\n');\n" +
        "process.stderr.write('the key again: ' + process.env.LATCHKEY_SECRET_KEY);\n" +
        'process.exit(3);\n',
    );
    const file = new RotatingFile({
      folder: join(dirname(leaky), 'logs'),
      name: 'latchkey.log',
      maxBytes: 1 << 20,
      keep: 1,
    });
    const log = createLogger({ file: () => file, now: () => new Date() });
    const key = randomBytes(32);
    // As main.ts does: the key is registered with the log before the server gets it.
    log.addSecret(key.toString('base64'));
    const { supervisor } = supervised({ modulePath: leaky, key, onOutput: (stream, text) => log.server(stream, text) });
    await expect(supervisor.start()).rejects.toThrow(/exit code 3/);
    log.flush();
    const written = readFileSync(file.path(0), 'utf8');
    expect(written).toMatch(/\[server stdout\] starting/);
    expect(written).toMatch(/\[server stderr\] my environment: LATCHKEY_SECRET_KEY=\[redacted\]/);
    expect(written).toMatch(/\[server stderr\] the key again: \[redacted\]/);
    expect(written).not.toContain(key.toString('base64'));
    expect(written).not.toContain(key.toString('base64').slice(0, 16));
  });

  it('fails to start with a key of the wrong size', async () => {
    const { supervisor } = supervised({ key: randomBytes(16) });
    await expect(supervisor.start()).rejects.toThrow(/LATCHKEY_SECRET_KEY must be 32 bytes/);
  });

  it('holds [::1] at its port as well as 127.0.0.1: nothing else can answer at its origin', async (context) => {
    if (!(await hasIpv6Loopback())) context.skip('this machine has no IPv6 loopback address');
    const { supervisor } = supervised();
    const origin = await supervisor.start();
    const { port } = new URL(origin);
    expect(await checkHealthOnce(`http://[::1]:${port}`)).toEqual({ status: 'ok', version: VERSION });
    expect(await isFree('::1', Number(port))).toBe(false);
  });

  it('passes over a preferred port that another program holds on [::1]', async (context) => {
    if (!(await hasIpv6Loopback())) context.skip('this machine has no IPv6 loopback address');
    const foreign = await holdPortOn('::1');
    cleanups.push(() => foreign.close());
    const { supervisor } = supervised({ findPort: findFreePort, preferredPort: foreign.port });
    const origin = await supervisor.start();
    expect(Number(new URL(origin).port)).not.toBe(foreign.port);
    expect(await checkHealthOnce(origin.replace('localhost', '[::1]'))).not.toBeNull();
  });

  it("fails with the server's sentence when [::1] is taken at the port it was given", async (context) => {
    if (!(await hasIpv6Loopback())) context.skip('this machine has no IPv6 loopback address');
    const foreign = await holdPortOn('::1');
    cleanups.push(() => foreign.close());
    const { supervisor } = supervised({ findPort: async () => foreign.port });
    await expect(supervisor.start()).rejects.toThrow(
      `The bundled server could not start: Port ${foreign.port} on [::1] is in use by another program; choose another with --port.`,
    );
  });
});
