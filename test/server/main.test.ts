// The command-line entry as a person runs it: a separate Node process over real HTTP.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createPostgresDatabase, describePostgres } from '../support/backends.js';
import { TestClient } from '../support/http-client.js';
import { totpCode } from '../support/test-server.js';
import { systemClock } from '../../server/platform/clock.js';

const ENTRY = ['--import', 'tsx', 'server/main.ts'];
const children: ChildProcess[] = [];
const folders: string[] = [];

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'latchkey-cli-'));
  folders.push(dir);
  return dir;
}

function runToEnd(args: string[], env: NodeJS.ProcessEnv = {}) {
  return spawnSync(process.execPath, [...ENTRY, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 30_000,
  });
}

/** Starts the server on a free port and resolves with its printed origin. */
function start(args: string[]): Promise<{ origin: string; child: ChildProcess; output: string }> {
  const child = spawn(process.execPath, [...ENTRY, '--port', '0', '--log-level', 'warn', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /serving (http:\/\/localhost:\d+)/.exec(out);
      if (match && out.endsWith('\n')) resolve({ origin: match[1]!, child, output: out });
    });
    child.on('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
  });
}

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('latchkey-server command line', () => {
  it('prints every option with --help and exits 0', () => {
    const result = runToEnd(['--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/--port VALUE/);
    expect(result.stdout).toMatch(/--data-dir VALUE/);
  });

  it('stops on a bad option with one sentence and no stack trace', () => {
    const result = runToEnd(['--port', 'abc']);
    expect(result.status).toBe(2);
    expect(result.stderr.trim()).toBe('latchkey: --port must be a whole number from 0 to 65535, not "abc".');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('stops with one sentence when the data folder cannot be used', () => {
    const parent = tempDir();
    const blocker = join(parent, 'file');
    writeFileSync(blocker, 'not a folder');
    const result = runToEnd(['--data-dir', join(blocker, 'data')]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^latchkey: The data folder .* cannot be used: .*\.\n$/);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('refuses a secret key file that others can read', () => {
    const dir = tempDir();
    const keyFile = join(dir, 'key');
    writeFileSync(keyFile, Buffer.alloc(32, 7));
    chmodSync(keyFile, 0o644);
    const result = runToEnd(['--data-dir', join(dir, 'data'), '--secret-key-file', keyFile]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/readable by other users; run chmod 600/);
  });

  it('serves the whole flow (account, sign-in, two-factor, backup codes) to a plain HTTP client', async () => {
    const dataDir = tempDir();
    const { origin } = await start(['--data-dir', dataDir]);
    const client = new TestClient(origin);
    const password = 'a long pass phrase';
    expect((await client.post('/api/v1/accounts', { username: 'pat', password })).status).toBe(201);
    expect((await client.post('/api/v1/session', { username: 'pat', password })).json.status).toBe('signed_in');
    const setup = await client.post('/api/v1/me/totp/setup', { password });
    const enabled = await client.post('/api/v1/me/totp/enable', { code: totpCode(setup.json.secret, systemClock) });
    const codes: string[] = enabled.json.backupCodes;
    expect(codes).toHaveLength(10);
    expect((await client.delete('/api/v1/session')).status).toBe(204);

    // Sign in with password and code. The enabling step is already used, so wait for the next
    // step if needed (real clock here: this is the real process).
    const stepNow = () => Math.floor(Date.now() / 30_000);
    const enabledStep = stepNow();
    while (stepNow() === enabledStep) await new Promise((resolve) => setTimeout(resolve, 250));
    const code = totpCode(setup.json.secret, systemClock);
    const ticket1 = (await client.post('/api/v1/session', { username: 'pat', password })).json.ticket;
    expect((await client.post('/api/v1/session/totp', { ticket: ticket1, code })).json.status).toBe('signed_in');
    const ticket2 = (await client.post('/api/v1/session', { username: 'pat', password })).json.ticket;
    expect((await client.post('/api/v1/session/totp', { ticket: ticket2, code })).json.error.code).toBe('invalid_code');
    const withBackup = await client.post('/api/v1/session/backup-code', { ticket: ticket2, code: codes[0] });
    expect(withBackup.json).toMatchObject({ status: 'signed_in', backupCodesRemaining: 9 });
    const ticket3 = (await client.post('/api/v1/session', { username: 'pat', password })).json.ticket;
    expect(
      (await client.post('/api/v1/session/backup-code', { ticket: ticket3, code: codes[0] })).json.error.code,
    ).toBe('invalid_code');
    const fresh = (await client.post('/api/v1/me/backup-codes', { password })).json.backupCodes;
    expect(fresh).toHaveLength(10);
    expect(
      (await client.post('/api/v1/session/backup-code', { ticket: ticket3, code: codes[1] })).json.error.code,
    ).toBe('invalid_code');
    expect((await client.post('/api/v1/me/totp/disable', { password })).json.twoFactor.enabled).toBe(false);
    const plain = await client.post('/api/v1/session', { username: 'pat', password });
    expect(plain.json).toEqual({ status: 'signed_in', username: 'pat' });
  }, 60_000);

  it('keeps its data across a restart', async () => {
    const dataDir = tempDir();
    const first = await start(['--data-dir', dataDir]);
    await new TestClient(first.origin).post('/api/v1/accounts', { username: 'kept', password: 'a long pass phrase' });
    first.child.kill('SIGTERM');
    await new Promise((resolve) => first.child.once('exit', resolve));
    const second = await start(['--data-dir', dataDir]);
    const signIn = await new TestClient(second.origin).post('/api/v1/session', {
      username: 'kept',
      password: 'a long pass phrase',
    });
    expect(signIn.json.status).toBe('signed_in');
  });
});

describePostgres('latchkey-server on PostgreSQL', () => {
  it('serves from --database-url, migrating an empty database, names it, and keeps data across a restart', async () => {
    // Empty: the server migrates it at start.
    const database = await createPostgresDatabase();
    try {
      const url = new URL(database.url);
      const args = ['--data-dir', tempDir(), '--database-url', database.url];
      const first = await start(args);
      expect(first.output).toContain(
        `(data in postgres://${url.username}@${url.hostname}:${url.port}/${database.name})`,
      );
      const password = 'a long pass phrase';
      expect((await new TestClient(first.origin).post('/api/v1/accounts', { username: 'kept', password })).status).toBe(
        201,
      );
      first.child.kill('SIGTERM');
      await new Promise((resolve) => first.child.once('exit', resolve));
      const second = await start(args);
      const signIn = await new TestClient(second.origin).post('/api/v1/session', { username: 'kept', password });
      expect(signIn.json.status).toBe('signed_in');
      second.child.kill('SIGTERM');
      await new Promise((resolve) => second.child.once('exit', resolve));
    } finally {
      await database.drop();
    }
  });

  it('stops with one sentence, without the password, when the database cannot be reached', () => {
    const result = runToEnd([
      '--data-dir',
      tempDir(),
      '--database-url',
      'postgres://latchkey:hunter2secret@127.0.0.1:1/latchkey',
      '--database-connect-timeout-seconds',
      '2',
    ]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(
      /^latchkey: The database postgres:\/\/latchkey@127\.0\.0\.1:1\/latchkey could not be reached or prepared: .*ECONNREFUSED.*\.\n$/,
    );
    expect(result.stderr).not.toContain('hunter2secret');
  });
});
