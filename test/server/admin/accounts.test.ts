// The helpdesk's commands (docs/deployment.md "Helpdesk recovery"): `npm run admin -- list | show |
// unlock | end-sessions | reset-two-factor USERNAME [--json]`, against a running server's database
// on each backend, checked through the server's own HTTP API: what the person can do afterwards,
// and what their activity list shows. The server's clock starts at the real time, since the
// commands run on the system clock.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect } from 'vitest';
import { runAdmin } from '../../../server/admin/cli.js';
import { SoftAuthenticator } from '../../attack/support/soft-authenticator.js';
import { describeEachBackend } from '../../support/backends.js';
import { FakeClock } from '../../support/fake-clock.js';
import type { TestClient } from '../../support/http-client.js';
import { enableTotp, eventTypes, PASSWORD, signedInClient, type TestServer } from '../../support/test-server.js';
import { withTestServer } from '../../support/with-test-server.js';

const keys = mkdtempSync(join(tmpdir(), 'latchkey-admin-accounts-'));
const secretKey = randomBytes(32);
const keyFile = join(keys, 'secret.key');
writeFileSync(keyFile, secretKey, { mode: 0o600 });
afterAll(() => rmSync(keys, { recursive: true, force: true }));

/** Runs one admin command against the server's storage, as `npm run admin -- …` would. */
async function admin(server: TestServer, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const where = server.database.args.length > 0 ? server.database.args : ['--data-dir', server.dataDir];
  let stdout = '';
  let stderr = '';
  const code = await runAdmin(
    [...args, ...where, '--secret-key-file', keyFile],
    {},
    {
      stdout: (text) => (stdout += text),
      stderr: (text) => (stderr += text),
    },
  );
  return { code, stdout, stderr };
}

async function signIn(server: TestServer, username = 'alice', password = PASSWORD) {
  const client = server.client();
  const answer = await client.post('/api/v1/session', { username, password });
  return { client, answer };
}

async function addKey(server: TestServer, client: TestClient): Promise<void> {
  const key = new SoftAuthenticator({ origin: server.origin });
  const options = await client.post('/api/v1/me/security-keys/options', { password: PASSWORD });
  const added = await client.post('/api/v1/me/security-keys', {
    name: 'USB key',
    credential: key.register(options.json.options),
  });
  expect(added.status, added.text).toBe(201);
}

describeEachBackend('the helpdesk commands on a running server', (backend) => {
  const it = withTestServer(backend, { secretKey, clock: new FakeClock(Date.now()) });

  it('reset-two-factor leaves the account signable with the password alone, and the person sees who did it', async ({
    server,
    alice,
  }) => {
    await enableTotp(server, alice);
    await addKey(server, alice);
    const waiting = await signIn(server);
    expect(waiting.answer.json.status).toBe('second_factor_required');

    const reset = await admin(server, ['reset-two-factor', 'alice', '--json']);
    expect(reset.code, reset.stderr).toBe(0);
    expect(JSON.parse(reset.stdout)).toEqual({
      command: 'reset-two-factor',
      username: 'alice',
      removed: { totp: true, securityKeys: 1, backupCodes: 10 },
      sessionsEnded: 1,
    });
    // Every session and the sign-in waiting for its second factor ended.
    expect((await alice.get('/api/v1/me')).status).toBe(401);
    const late = await waiting.client.post('/api/v1/session/totp', {
      ticket: waiting.answer.json.ticket,
      code: '123456',
    });
    expect(late.json.error.code).toBe('invalid_ticket');

    const again = await signIn(server);
    expect(again.answer.json).toEqual({ status: 'signed_in', username: 'alice' });
    const me = await again.client.get('/api/v1/me');
    expect(me.json.twoFactor).toEqual({ enabled: false, totp: false, securityKeys: 0, backupCodesRemaining: 0 });
    expect((await again.client.get('/api/v1/me/security-keys')).json.keys).toEqual([]);
    const events = (await again.client.get('/api/v1/me/events')).json.events;
    const reseted = events.find((event: { type: string }) => event.type === 'two_factor_reset_by_admin');
    expect(reseted).toMatchObject({ ip: null, userAgent: null });
    // And two-factor can be set up again at once.
    await enableTotp(server, again.client);
  });

  it('unlock lets a locked account sign in, and says what it cleared', async ({ server, alice }) => {
    for (let attempt = 0; attempt < 5; attempt += 1) {
      expect((await signIn(server, 'alice', `wrong ${attempt}`)).answer.status).toBe(401);
    }
    expect((await signIn(server)).answer.status).toBe(429);

    const listed = await admin(server, ['list', '--json']);
    expect(listed.code, listed.stderr).toBe(0);
    const [entry] = JSON.parse(listed.stdout).accounts;
    expect(entry).toMatchObject({ username: 'alice', consecutiveFailures: 5, pausedUntil: expect.any(String) });

    const unlocked = await admin(server, ['unlock', 'alice']);
    expect(unlocked.code, unlocked.stderr).toBe(0);
    expect(unlocked.stdout).toMatch(
      /^Cleared 5 failed attempts and the sign-in pause until .* of alice; they can sign in now\.\n$/,
    );
    expect((await signIn(server)).answer.json.status).toBe('signed_in');
    expect((await eventTypes(alice)).slice(0, 2)).toEqual(['signed_in', 'account_unlocked_by_admin']);
  });

  it('end-sessions signs the account out everywhere, and only that account', async ({ server, alice }) => {
    const other = (await signIn(server)).client;
    const bob = await signedInClient(server, 'bob');
    const ended = await admin(server, ['end-sessions', 'Alice']);
    expect(ended.code, ended.stderr).toBe(0);
    expect(ended.stdout).toBe('Ended 2 sessions of alice.\n');
    expect((await alice.get('/api/v1/me')).status).toBe(401);
    expect((await other.get('/api/v1/me')).status).toBe(401);
    expect((await bob.get('/api/v1/me')).status).toBe(200);
    const back = (await signIn(server)).client;
    expect(await eventTypes(back)).toContain('sessions_ended_by_admin');
  });

  it('list and show describe the accounts, in words and as JSON that parses', async ({ server, alice }) => {
    await enableTotp(server, alice);
    await signedInClient(server, 'bob');
    const list = await admin(server, ['list']);
    expect(list.stdout).toBe(
      'alice: two-factor on (authenticator app; 10 backup codes left); not paused\nbob: two-factor off; not paused\n',
    );
    const shown = await admin(server, ['show', 'alice', '--json']);
    expect(shown.code, shown.stderr).toBe(0);
    const { account } = JSON.parse(shown.stdout);
    expect(account).toMatchObject({
      username: 'alice',
      twoFactor: { enabled: true, totp: true, securityKeys: 0, backupCodesRemaining: 10 },
      consecutiveFailures: 0,
      pausedUntil: null,
      sessions: 1,
    });
    expect(account.events.map((event: { type: string }) => event.type)).toEqual((await eventTypes(alice)).slice(0, 10));
    expect(account.events.length).toBeLessThanOrEqual(10);
    const text = await admin(server, ['show', 'alice']);
    expect(text.stdout).toContain('Last events (newest first):');
    expect(text.stdout).toContain('totp_enabled from 127.0.0.1');
  });

  it('refuses an unknown account and a missing or extra argument with exit status 1 and one sentence', async ({
    server,
    alice,
  }) => {
    const cases: [string[], RegExp][] = [
      [['reset-two-factor', 'mallory'], /There is no account named "mallory"; run list to see the accounts\./],
      [['unlock'], /Name the account: npm run admin -- unlock USERNAME\./],
      [['show', 'alice', 'bob'], /Give one command at a time, not "bob" after "show"\./],
      [['list', 'alice'], /Give one command at a time, not "alice" after "list"\./],
    ];
    for (const [args, message] of cases) {
      const result = await admin(server, args);
      expect(result.code, args.join(' ')).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(message);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
    }
    expect((await alice.get('/api/v1/me')).status).toBe(200);
  });
});
