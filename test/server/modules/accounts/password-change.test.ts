// docs/api.md "POST /api/v1/me/password" and SECURITY.md "Changing the password", over real HTTP on
// both backends: the rules of registration, the same password refused, a wrong current password
// counted toward the lock, and the new hash, the end of every other session and the event in one
// transaction (a failure of the last leaves the first two undone).
import { expect } from 'vitest';
import { describeEachBackend, queryRows } from '../../../support/backends.js';
import { enableTotp, eventTypes, PASSWORD, signedInClient, type TestServer } from '../../../support/test-server.js';
import { withTestServer } from '../../../support/with-test-server.js';

const NEW_PASSWORD = 'a new and better passphrase';

async function signIn(server: TestServer, password: string, username = 'alice') {
  const client = server.client();
  const answer = await client.post('/api/v1/session', { username, password });
  return { client, answer };
}

describeEachBackend('changing the password', (backend) => {
  const it = withTestServer(backend);

  it('takes the new password, ends every other session, keeps this one and records password_changed', async ({
    server,
    alice,
  }) => {
    const others = [(await signIn(server, PASSWORD)).client, (await signIn(server, PASSWORD)).client];
    const bob = await signedInClient(server, 'bob');
    const changed = await alice.post('/api/v1/me/password', { password: PASSWORD, newPassword: NEW_PASSWORD });
    expect(changed.status, changed.text).toBe(200);
    expect(changed.json).toEqual({ otherSessionsEnded: 2 });
    for (const other of others) expect((await other.get('/api/v1/me')).status).toBe(401);
    expect((await alice.get('/api/v1/me')).status).toBe(200);
    expect((await bob.get('/api/v1/me')).status).toBe(200);
    expect((await eventTypes(alice))[0]).toBe('password_changed');
    expect((await signIn(server, PASSWORD)).answer.status).toBe(401);
    expect((await signIn(server, NEW_PASSWORD)).answer.json.status).toBe('signed_in');
  });

  it('ends a sign-in still waiting for its second factor: its ticket was earned with the old password', async ({
    server,
    alice,
  }) => {
    await enableTotp(server, alice);
    const waiting = await signIn(server, PASSWORD);
    expect(waiting.answer.json.status).toBe('second_factor_required');
    const changed = await alice.post('/api/v1/me/password', { password: PASSWORD, newPassword: NEW_PASSWORD });
    expect(changed.status, changed.text).toBe(200);
    const code = await waiting.client.post('/api/v1/session/backup-code', {
      ticket: waiting.answer.json.ticket,
      code: 'aaaaa-aaaaa',
    });
    expect(code.status).toBe(401);
    expect(code.json.error.code).toBe('invalid_ticket');
  });

  it('refuses the current password as the new one with password_unchanged, after checking it', async ({
    server,
    alice,
  }) => {
    const other = (await signIn(server, PASSWORD)).client;
    const same = await alice.post('/api/v1/me/password', { password: PASSWORD, newPassword: PASSWORD });
    expect(same.status).toBe(400);
    expect(same.json.error.code).toBe('password_unchanged');
    // The same in another Unicode form is the same password (docs/api.md "Passwords": NFC).
    const composed = 'caf\u00e9 au lait please';
    const client = await signedInClient(server, 'carol', composed);
    const decomposed = await client.post('/api/v1/me/password', {
      password: composed,
      newPassword: 'cafe\u0301 au lait please',
    });
    expect(decomposed.json.error.code).toBe('password_unchanged');
    // Said only once the current password is proven: with a wrong one, the answer is about that.
    const guess = await alice.post('/api/v1/me/password', { password: 'not the password', newPassword: PASSWORD });
    expect(guess.status).toBe(401);
    expect(guess.json.error.code).toBe('invalid_password');
    expect((await other.get('/api/v1/me')).status).toBe(200);
    expect(await eventTypes(alice)).not.toContain('password_changed');
  });

  it('applies the rules of registration to the new password, before anything is checked or changed', async ({
    server,
    alice,
  }) => {
    const other = (await signIn(server, PASSWORD)).client;
    const cases: [string, number, string][] = [
      ['short', 400, 'weak_password'],
      ['x'.repeat(129), 400, 'password_too_long'],
      ['broken \ud800 surrogate', 400, 'malformed_password'],
    ];
    for (const [newPassword, status, code] of cases) {
      const answer = await alice.post('/api/v1/me/password', { password: PASSWORD, newPassword });
      expect(answer.status, newPassword).toBe(status);
      expect(answer.json.error.code).toBe(code);
    }
    expect((await alice.post('/api/v1/me/password', { password: PASSWORD })).json.error.code).toBe('invalid_request');
    expect(
      (await alice.post('/api/v1/me/password', { password: PASSWORD, newPassword: NEW_PASSWORD, extra: 1 })).status,
    ).toBe(400);
    expect((await other.get('/api/v1/me')).status).toBe(200);
    expect((await signIn(server, PASSWORD)).answer.json.status).toBe('signed_in');
  });

  it('counts a wrong current password toward the lock, like every re-authentication', async ({ server, alice }) => {
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const wrong = await alice.post('/api/v1/me/password', {
        password: `wrong ${attempt}`,
        newPassword: NEW_PASSWORD,
      });
      expect(wrong.status).toBe(401);
      expect(wrong.json.error.code).toBe('invalid_password');
    }
    const locked = await alice.post('/api/v1/me/password', { password: PASSWORD, newPassword: NEW_PASSWORD });
    expect(locked.status).toBe(429);
    expect(locked.headers['retry-after']).toBeDefined();
    // The lock is the account's: sign-in is paused too.
    expect((await signIn(server, PASSWORD)).answer.status).toBe(429);
    const events = await eventTypes(alice);
    expect(events.filter((type) => type === 'password_confirmation_failed')).toHaveLength(5);
    expect(events).toContain('locked_out');
  });

  it('commits the new hash, the ended sessions and the event together: a failed event leaves both undone', async ({
    server,
    alice,
  }) => {
    const other = (await signIn(server, PASSWORD)).client;
    const { storage } = server.server;
    // The event's INSERT fails, after the hash and the sessions were changed in the transaction.
    if (storage.kind === 'sqlite') {
      await queryRows(
        storage,
        `CREATE TRIGGER refuse_password_changed BEFORE INSERT ON security_events
         WHEN NEW.type = 'password_changed' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END`,
      );
    } else {
      await queryRows(
        storage,
        `CREATE FUNCTION refuse_password_changed() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN RAISE EXCEPTION 'refused by the test'; END $$`,
      );
      await queryRows(
        storage,
        `CREATE TRIGGER refuse_password_changed BEFORE INSERT ON security_events
         FOR EACH ROW WHEN (NEW.type = 'password_changed') EXECUTE FUNCTION refuse_password_changed()`,
      );
    }
    const failed = await alice.post('/api/v1/me/password', { password: PASSWORD, newPassword: NEW_PASSWORD });
    expect(failed.status).toBeGreaterThanOrEqual(500);
    expect((await other.get('/api/v1/me')).status).toBe(200);
    expect((await signIn(server, PASSWORD)).answer.json.status).toBe('signed_in');
    expect((await signIn(server, NEW_PASSWORD)).answer.status).toBe(401);
  });

  it('lets one of two racing changes with the same current password through', async ({ server, alice }) => {
    const second = (await signIn(server, PASSWORD)).client;
    const answers = await Promise.all([
      alice.post('/api/v1/me/password', { password: PASSWORD, newPassword: `${NEW_PASSWORD} one` }),
      second.post('/api/v1/me/password', { password: PASSWORD, newPassword: `${NEW_PASSWORD} two` }),
    ]);
    const statuses = answers.map((answer) => answer.status).sort();
    // Either the second waited and found the hash changed (401), or its session had already ended.
    expect(statuses[0]).toBe(200);
    expect(statuses[1]).toBe(401);
    const winner = answers[0]!.status === 200 ? 'one' : 'two';
    expect((await signIn(server, `${NEW_PASSWORD} ${winner}`)).answer.json.status).toBe('signed_in');
  });
});
