// The built server, with the node_modules npm installed under this Node, run by a Node of ANOTHER
// major version: 22 when the tests run under 24, 24 under 22. A module built against one Node's
// module ABI would refuse to load there ("compiled against a different Node.js version"), as it
// would in Electron's own Node, which this stands in for (the Electron binary can't be downloaded
// here; docs/desktop.md "What was proven where"). Node-API modules load in both: the server
// starts and a person signs in with a password and an authenticator code (better-sqlite3 stores,
// @node-rs/argon2 hashes), and keytar loads and, on Linux, round-trips a secret through
// gnome-keyring.
//
// The other Node is the npm registry's `node` package: .ci/run installs it into
// /opt/latchkey-node/<major>, the workflow names it in LATCHKEY_OTHER_NODE. Where neither is there
// the test is skipped with that reason, except under CI, where it must run.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { codeAt, decodeSecret } from '../../../server/modules/totp/totp-codes.js';
import { TestClient } from '../../support/http-client.js';
import { ROOT, runBuild, snapshotServer } from '../support/build.js';

const runningMajor = Number(process.versions.node.split('.')[0]);
const otherMajor = runningMajor === 22 ? 24 : 22;
const nodeHome = process.env.LATCHKEY_NODE_HOME || '/opt/latchkey-node';
const otherNode =
  process.env.LATCHKEY_OTHER_NODE ||
  join(nodeHome, String(otherMajor), 'bin', process.platform === 'win32' ? 'node.exe' : 'node');
const missing = existsSync(otherNode)
  ? null
  : `No Node ${otherMajor} at ${otherNode}: install it with \`npm install -g --prefix ${join(nodeHome, String(otherMajor))} node@${otherMajor}\` (.ci/run does) or name one in LATCHKEY_OTHER_NODE.`;

const PASSWORD = 'correct horse battery';
const work = mkdtempSync(join(tmpdir(), 'latchkey-cross-node-'));
let server: ReturnType<typeof snapshotServer> | null = null;
let child: ChildProcess | null = null;

beforeAll(() => {
  if (missing) return;
  runBuild('build:server');
  server = snapshotServer();
}, 120_000);
afterAll(() => {
  if (child?.exitCode === null) child.kill('SIGKILL');
  server?.remove();
  rmSync(work, { recursive: true, force: true });
});

function runOther(args: string[], options: { env?: NodeJS.ProcessEnv } = {}) {
  return spawnSync(otherNode, args, { cwd: ROOT, encoding: 'utf8', timeout: 60_000, env: options.env ?? process.env });
}

/** Starts the built server under the other Node on a free port; resolves with its origin. */
function startServer(): Promise<string> {
  child = spawn(otherNode, [server!.main, '--port', '0', '--data-dir', join(work, 'data'), '--log-level', 'warn'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Latchkey is serving (http:\/\/localhost:\d+)/.exec(output);
      if (match) resolve(match[1]!);
    };
    child!.stdout!.on('data', collect);
    child!.stderr!.on('data', collect);
    child!.on('exit', (code) => reject(new Error(`The server under Node ${otherMajor} exited (${code}):\n${output}`)));
  });
}

describe(`the app's native modules under Node ${otherMajor} (installed under Node ${runningMajor})`, () => {
  beforeEach(({ skip }) => {
    if (!missing) return;
    if (process.env.CI) throw new Error(`Under CI this test must run. ${missing}`);
    console.warn(`skipped: ${missing}`);
    skip(missing);
  });

  it(`is really another major version`, () => {
    const version = runOther(['-p', 'process.versions.node']).stdout.trim();
    expect(Number(version.split('.')[0])).toBe(otherMajor);
    expect(otherMajor).not.toBe(runningMajor);
  });

  it('runs the built server: a password and authenticator-code sign-in works end to end', async () => {
    const origin = await startServer();
    const client = new TestClient(origin);
    expect((await client.post('/api/v1/accounts', { username: 'cross', password: PASSWORD })).status).toBe(201);
    expect((await client.post('/api/v1/session', { username: 'cross', password: PASSWORD })).json.status).toBe(
      'signed_in',
    );
    const setup = await client.post('/api/v1/me/totp/setup', { password: PASSWORD });
    const secret = decodeSecret(setup.json.secret as string);
    expect((await client.post('/api/v1/me/totp/enable', { code: codeAt(secret, Date.now()) })).status).toBe(200);
    expect((await client.delete('/api/v1/session')).status).toBe(204);

    const wrong = await client.post('/api/v1/session', { username: 'cross', password: 'not the password' });
    expect(wrong.status).toBe(401);
    const signIn = await client.post('/api/v1/session', { username: 'cross', password: PASSWORD });
    expect(signIn.json.status).toBe('second_factor_required');
    // The next time step's code: the enabling step was used already (RFC 6238 §5.2).
    const verified = await client.post('/api/v1/session/totp', {
      ticket: signIn.json.ticket,
      code: codeAt(secret, Date.now() + 30_000),
    });
    expect(verified.json).toEqual({ status: 'signed_in', username: 'cross' });
    expect((await client.get('/api/v1/me')).json.username).toBe('cross');
  }, 60_000);

  it('loads keytar, @node-rs/argon2 and better-sqlite3 directly', () => {
    const script = [
      "const keytar = require('keytar');",
      "const argon2 = require('@node-rs/argon2');",
      "const Database = require('better-sqlite3');",
      "const hash = argon2.hashSync('pass phrase');",
      "const db = new Database(':memory:');",
      'console.log(JSON.stringify({',
      "  keytar: ['getPassword', 'setPassword', 'deletePassword'].every((name) => typeof keytar[name] === 'function'),",
      "  argon2: argon2.verifySync(hash, 'pass phrase'),",
      "  sqlite: db.prepare('select 40 + 2 as answer').get().answer,",
      '}));',
    ].join('\n');
    const result = runOther(['-e', script]);
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual({ keytar: true, argon2: true, sqlite: 42 });
  });

  it.runIf(process.platform === 'linux')('keeps and reads back a secret through keytar (gnome-keyring)', () => {
    const script = [
      "const keytar = require('keytar');",
      '(async () => {',
      "  await keytar.setPassword('latchkey-cross-node', 'probe', 'kept');",
      "  const read = await keytar.getPassword('latchkey-cross-node', 'probe');",
      "  const deleted = await keytar.deletePassword('latchkey-cross-node', 'probe');",
      '  console.log(JSON.stringify({ read, deleted }));',
      '})().catch((error) => { console.error(error.message); process.exit(1); });',
    ].join('\n');
    const harness = join(ROOT, 'test', 'main', 'support', 'with-keyring.sh');
    const result = spawnSync(harness, ['unlocked', otherNode, '-e', script], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.status, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout.trim().split('\n').at(-1)!)).toEqual({ read: 'kept', deleted: true });
  });
});
