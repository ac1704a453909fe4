// docs/api.md "Signing out everywhere else": turning authenticator-app codes off, removing a
// security key and generating new backup codes take `signOutOtherSessions`, and then end every
// other session of the account in the same transaction as the change; without it, none.
import { expect } from 'vitest';
import { SoftAuthenticator } from '../../../attack/support/soft-authenticator.js';
import { describeEachBackend } from '../../../support/backends.js';
import type { HttpResponse, TestClient } from '../../../support/http-client.js';
import {
  enableTotp,
  eventTypes,
  PASSWORD,
  signedInClient,
  totpCode,
  type TestServer,
} from '../../../support/test-server.js';
import { withTestServer } from '../../../support/with-test-server.js';

/** Another session of alice, completed with a TOTP code when two-factor is on. */
async function anotherSession(server: TestServer, secret: string | null): Promise<TestClient> {
  const client = server.client();
  const first = await client.post('/api/v1/session', { username: 'alice', password: PASSWORD });
  if (first.json.status === 'second_factor_required') {
    server.clock.advance(30_000); // a step not yet used
    const second = await client.post('/api/v1/session/totp', {
      ticket: first.json.ticket,
      code: totpCode(secret!, server.clock),
    });
    expect(second.status, second.text).toBe(200);
  }
  expect((await client.get('/api/v1/me')).status).toBe(200);
  return client;
}

interface Flow {
  name: string;
  /** Sets alice's account up for the change; the TOTP secret when other sessions need a code. */
  prepare(server: TestServer, alice: TestClient): Promise<{ secret: string | null; keyId?: string }>;
  change(alice: TestClient, body: Record<string, unknown>, prepared: { keyId?: string }): Promise<HttpResponse>;
  /** The answer without signOutOtherSessions. */
  plainStatus: number;
  event: string;
}

const FLOWS: Flow[] = [
  {
    name: 'turning authenticator-app codes off',
    prepare: async (server, alice) => ({ secret: (await enableTotp(server, alice)).secret }),
    change: (alice, body) => alice.post('/api/v1/me/totp/disable', body),
    plainStatus: 200,
    event: 'totp_disabled',
  },
  {
    name: 'generating new backup codes',
    prepare: async (server, alice) => ({ secret: (await enableTotp(server, alice)).secret }),
    change: (alice, body) => alice.post('/api/v1/me/backup-codes', body),
    plainStatus: 200,
    event: 'backup_codes_generated',
  },
  {
    name: 'removing a security key',
    prepare: async (server, alice) => {
      const { secret } = await enableTotp(server, alice);
      const key = new SoftAuthenticator({ origin: server.origin });
      const options = await alice.post('/api/v1/me/security-keys/options', { password: PASSWORD });
      const added = await alice.post('/api/v1/me/security-keys', {
        name: 'USB key',
        credential: key.register(options.json.options),
      });
      expect(added.status, added.text).toBe(201);
      return { secret, keyId: added.json.key.id };
    },
    change: (alice, body, { keyId }) => alice.delete(`/api/v1/me/security-keys/${keyId}`, body),
    plainStatus: 204,
    event: 'security_key_removed',
  },
];

describeEachBackend('signing out everywhere else with a change', (backend) => {
  const it = withTestServer(backend);

  for (const flow of FLOWS) {
    it(`${flow.name}: with signOutOtherSessions, every other session ends with the change`, async ({
      server,
      alice,
    }) => {
      const prepared = await flow.prepare(server, alice);
      const others = [await anotherSession(server, prepared.secret), await anotherSession(server, prepared.secret)];
      const bob = await signedInClient(server, 'bob');
      const answer = await flow.change(alice, { password: PASSWORD, signOutOtherSessions: true }, prepared);
      expect(answer.status, answer.text).toBe(200);
      expect(answer.json.otherSessionsEnded).toBe(2);
      for (const other of others) expect((await other.get('/api/v1/me')).status).toBe(401);
      expect((await alice.get('/api/v1/me')).status).toBe(200);
      expect((await bob.get('/api/v1/me')).status).toBe(200);
      const events = await eventTypes(alice);
      expect(events).toContain('other_sessions_ended');
      expect(events).toContain(flow.event);
    });

    it(`${flow.name}: without it, or with false, no session ends and the answer names none`, async ({
      server,
      alice,
    }) => {
      const prepared = await flow.prepare(server, alice);
      const other = await anotherSession(server, prepared.secret);
      const answer = await flow.change(alice, { password: PASSWORD, signOutOtherSessions: false }, prepared);
      expect(answer.status, answer.text).toBe(flow.plainStatus);
      expect(answer.json?.otherSessionsEnded).toBeUndefined();
      expect((await other.get('/api/v1/me')).status).toBe(200);
      expect(await eventTypes(alice)).not.toContain('other_sessions_ended');
    });

    it(`${flow.name}: a wrong password ends nothing`, async ({ server, alice }) => {
      const prepared = await flow.prepare(server, alice);
      const other = await anotherSession(server, prepared.secret);
      const answer = await flow.change(alice, { password: 'not the password', signOutOtherSessions: true }, prepared);
      expect(answer.status).toBe(401);
      expect(answer.json.error.code).toBe('invalid_password');
      expect((await other.get('/api/v1/me')).status).toBe(200);
    });
  }

  it('refuses a signOutOtherSessions that is not a boolean', async ({ server, alice }) => {
    await enableTotp(server, alice);
    const answer = await alice.post('/api/v1/me/backup-codes', { password: PASSWORD, signOutOtherSessions: 'yes' });
    expect(answer.status).toBe(400);
    expect(answer.json.error.code).toBe('invalid_request');
  });
});
