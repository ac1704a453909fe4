// The security-key and passkey endpoints over real HTTP, without a browser: the W3C test vectors
// as the browser's answers (on a server whose public origin is the vectors' https://example.org),
// validation, single use under a race, 404s, the OpenAPI document, and no 5xx for any input.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachBackend, queryRows } from '../../../support/backends.js';
import { hashToken } from '../../../../server/crypto/tokens.js';
import { CHALLENGE_LIFETIME_MS, KEEP_PER_BINDING } from '../../../../server/modules/security-keys/challenges.js';
import { REFUSAL_MESSAGES } from '../../../../server/modules/security-keys/refusals.js';
import type { ChallengePurpose } from '../../../../server/modules/security-keys/repository.js';
import type { TestClient } from '../../../support/http-client.js';
import {
  enableTotp,
  PASSWORD,
  signedInClient,
  startTestServer,
  type TestServer,
} from '../../../support/test-server.js';
import {
  authenticationChallenge,
  authenticationResponse,
  NONE_ES256,
  PACKED_SELF_ES256,
  registrationChallenge,
  registrationResponse,
} from './w3c-test-vectors.js';

describeEachBackend('security keys and passkeys over HTTP', (backend) => {
  let server: TestServer;
  let alice: TestClient;

  beforeAll(async () => {
    server = await startTestServer({ backend, args: ['--public-origin', 'https://example.org'] });
    alice = await signedInClient(server, 'alice');
  });

  afterAll(async () => {
    await server?.close();
  });

  async function userId(username: string): Promise<number> {
    const account = await server.server.services.accounts.findByUsername(username);
    return account!.id;
  }

  /**
   * The vectors answer fixed challenges, so the test puts those challenges where the options
   * endpoints would have: in the challenge table, bound to the account or the ticket.
   */
  async function seedChallenge(
    challenge: string,
    purpose: ChallengePurpose,
    binding: { userId?: number; ticket?: string },
  ): Promise<void> {
    const { storage } = server.server;
    await queryRows(storage, 'DELETE FROM webauthn_challenges WHERE challenge = ?', [challenge]);
    const now = server.clock.now();
    await storage.repositories.challenges.insert(
      {
        challenge,
        purpose,
        userId: binding.userId ?? null,
        ticketHash: binding.ticket ? hashToken(binding.ticket) : null,
        createdAt: now,
        expiresAt: now + CHALLENGE_LIFETIME_MS,
        usedAt: null,
      },
      KEEP_PER_BINDING,
    );
  }

  async function eventTypes(client: TestClient): Promise<string[]> {
    return ((await client.get('/api/v1/me/events')).json.events as { type: string }[]).map((event) => event.type);
  }

  function clientDataJson(fields: Record<string, unknown>): string {
    return Buffer.from(JSON.stringify(fields)).toString('base64url');
  }

  describe('the W3C vectors through the API', () => {
    it('registers the §16.2 credential, turning two-factor on with ten backup codes', async () => {
      await seedChallenge(registrationChallenge(NONE_ES256), 'registration', { userId: await userId('alice') });
      const added = await alice.post('/api/v1/me/security-keys', {
        name: 'Spec key',
        credential: registrationResponse(NONE_ES256),
      });
      expect(added.status, added.text).toBe(201);
      expect(added.json.key).toMatchObject({ name: 'Spec key', type: 'other', passkey: false, lastUsedAt: null });
      expect(added.json.key.createdAt).toBe(new Date(server.clock.now()).toISOString());
      expect(added.json.backupCodes).toHaveLength(10);
      const me = await alice.get('/api/v1/me');
      expect(me.json.twoFactor).toEqual({ enabled: true, totp: false, securityKeys: 1, backupCodesRemaining: 10 });
    });

    it('signs in with the §16.2 assertion as the second factor', async () => {
      const client = server.client();
      const password = await client.post('/api/v1/session', { username: 'alice', password: PASSWORD });
      expect(password.json).toMatchObject({
        status: 'second_factor_required',
        methods: ['security_key', 'backup_code'],
      });
      const { ticket } = password.json;
      const options = await client.post('/api/v1/session/security-key/options', { ticket });
      expect(options.json.options).toMatchObject({
        rpId: 'example.org',
        userVerification: 'discouraged',
        allowCredentials: [{ id: registrationResponse(NONE_ES256).id, type: 'public-key', transports: [] }],
      });
      await seedChallenge(authenticationChallenge(NONE_ES256), 'second_factor', { ticket });
      const signedIn = await client.post('/api/v1/session/security-key', {
        ticket,
        credential: authenticationResponse(NONE_ES256),
      });
      expect(signedIn.status, signedIn.text).toBe(200);
      expect(signedIn.json).toEqual({ status: 'signed_in', username: 'alice' });
      expect(client.sessionCookie).not.toBeNull();
      const keys = await client.get('/api/v1/me/security-keys');
      expect(keys.json.keys[0].lastUsedAt).toBe(new Date(server.clock.now()).toISOString());
    });

    it('the same credential cannot be registered again, on any account', async () => {
      const bob = await signedInClient(server, 'bob');
      await seedChallenge(registrationChallenge(NONE_ES256), 'registration', { userId: await userId('bob') });
      const again = await bob.post('/api/v1/me/security-keys', {
        name: 'Copy',
        credential: registrationResponse(NONE_ES256),
      });
      expect(again.status).toBe(409);
      expect(again.json.error.code).toBe('key_already_registered');
      expect((await bob.get('/api/v1/me')).json.twoFactor).toMatchObject({ enabled: false, securityKeys: 0 });
    });

    it('a challenge bound to one account does not register a key for another', async () => {
      const carol = await signedInClient(server, 'carol');
      await seedChallenge(registrationChallenge(PACKED_SELF_ES256), 'registration', { userId: await userId('alice') });
      const refused = await carol.post('/api/v1/me/security-keys', {
        name: 'Not mine',
        credential: registrationResponse(PACKED_SELF_ES256),
      });
      expect(refused.status).toBe(400);
      expect(refused.json.error).toEqual({ code: 'invalid_credential', message: REFUSAL_MESSAGES.unknown_challenge });
    });

    it('of two simultaneous answers to one challenge, exactly one gets through', async () => {
      const dave = await signedInClient(server, 'dave');
      await seedChallenge(registrationChallenge(PACKED_SELF_ES256), 'registration', { userId: await userId('dave') });
      const body = { name: 'Raced', credential: registrationResponse(PACKED_SELF_ES256) };
      const answers = await Promise.all([
        dave.post('/api/v1/me/security-keys', body),
        dave.post('/api/v1/me/security-keys', body),
      ]);
      expect(answers.map((answer) => answer.status).sort()).toEqual([201, 400]);
      const loser = answers.find((answer) => answer.status === 400)!;
      expect(loser.json.error.message).toBe(REFUSAL_MESSAGES.challenge_used);
      expect((await dave.get('/api/v1/me/security-keys')).json.keys).toHaveLength(1);
      // Packed self attestation with UV, but the client did not report a resident key: no passkey.
      expect((await dave.get('/api/v1/me/security-keys')).json.keys[0].passkey).toBe(false);
    });
  });

  describe('requests the endpoints refuse', () => {
    it('needs a session, the password, and a known attachment', async () => {
      const anonymous = server.client();
      expect((await anonymous.get('/api/v1/me/security-keys')).json.error.code).toBe('unauthenticated');
      expect((await anonymous.post('/api/v1/me/security-keys/options', { password: PASSWORD })).status).toBe(401);
      const wrong = await alice.post('/api/v1/me/security-keys/options', { password: 'not my password' });
      expect(wrong.json.error.code).toBe('invalid_password');
      const usbish = await alice.post('/api/v1/me/security-keys/options', { password: PASSWORD, attachment: 'usb' });
      expect(usbish.status).toBe(400);
      expect(usbish.json.error.code).toBe('invalid_request');
      const extra = await alice.post('/api/v1/me/security-keys/options', { password: PASSWORD, rp: 'evil' });
      expect(extra.json.error.message).toBe('The field "rp" is not accepted here; remove it.');
    });

    it('answers creation options with everything navigator.credentials.create needs', async () => {
      const options = await alice.post('/api/v1/me/security-keys/options', { password: PASSWORD });
      expect(options.status).toBe(200);
      const json = options.json.options;
      expect(json.rp).toEqual({ id: 'example.org', name: 'Latchkey' });
      expect(json.user).toMatchObject({ name: 'alice', displayName: 'alice' });
      expect(Buffer.from(json.user.id, 'base64url')).toHaveLength(32);
      expect(Buffer.from(json.challenge, 'base64url')).toHaveLength(32);
      expect(json.pubKeyCredParams).toContainEqual({ alg: -7, type: 'public-key' });
      expect(json.timeout).toBe(CHALLENGE_LIFETIME_MS);
      expect(json.extensions).toEqual({ credProps: true });
      expect(json.excludeCredentials).toEqual([
        { id: registrationResponse(NONE_ES256).id, type: 'public-key', transports: [] },
      ]);
      // The user handle is stable per account and reveals nothing about it.
      const again = await alice.post('/api/v1/me/security-keys/options', { password: PASSWORD });
      expect(again.json.options.user.id).toBe(json.user.id);
      expect(again.json.options.challenge).not.toBe(json.challenge);
    });

    it('refuses unreadable and unrequested answers with a sentence, never a 5xx', async () => {
      const garbage = {
        id: 'AAAA',
        rawId: 'AAAA',
        type: 'public-key',
        response: { clientDataJSON: '%%%', attestationObject: '' },
      };
      const unreadable = await alice.post('/api/v1/me/security-keys', { name: 'x', credential: garbage });
      expect(unreadable.json.error).toEqual({ code: 'invalid_credential', message: REFUSAL_MESSAGES.malformed });
      const unrequested = {
        ...garbage,
        response: {
          clientDataJSON: clientDataJson({
            type: 'webauthn.create',
            challenge: 'bm9wZQ',
            origin: 'https://example.org',
          }),
          attestationObject: 'oA',
        },
      };
      const answer = await alice.post('/api/v1/me/security-keys', { name: 'x', credential: unrequested });
      expect(answer.json.error).toEqual({ code: 'invalid_credential', message: REFUSAL_MESSAGES.unknown_challenge });
      const wrongShape = await alice.post('/api/v1/me/security-keys', { name: 'x', credential: { id: 5 } });
      expect(wrongShape.status).toBe(400);
      expect(wrongShape.json.error.code).toBe('invalid_request');
      const noName = await alice.post('/api/v1/me/security-keys', { name: '\u0007', credential: garbage });
      expect(noName.json.error.code).toBe('invalid_name');
    });

    it('any JSON for a credential gets a 4xx with an error body', async () => {
      const client = await signedInClient(server, 'fuzz');
      const credentials = fc.oneof(
        fc.anything(),
        fc.record({
          id: fc.oneof(fc.string(), fc.integer()),
          rawId: fc.string(),
          type: fc.constantFrom('public-key', 'x'),
          response: fc.dictionary(
            fc.constantFrom(
              'clientDataJSON',
              'attestationObject',
              'authenticatorData',
              'signature',
              'userHandle',
              'transports',
            ),
            fc.oneof(fc.string(), fc.base64String(), fc.constant(null), fc.array(fc.string())),
          ),
          clientExtensionResults: fc.oneof(fc.object(), fc.constant(null)),
        }),
      );
      await fc.assert(
        fc.asyncProperty(credentials, async (credential) => {
          const answers = [
            await client.post('/api/v1/me/security-keys', { name: 'fuzz', credential }),
            await client.post('/api/v1/session/passkey', { credential }),
            await client.post('/api/v1/session/security-key', { ticket: 'x'.repeat(43), credential }),
          ];
          for (const answer of answers) {
            expect(answer.status).toBeGreaterThanOrEqual(400);
            expect(answer.status).toBeLessThan(500);
            expect(typeof answer.json.error.code).toBe('string');
            expect(answer.json.error.message).toMatch(/\.$/);
          }
        }),
        { numRuns: 40 },
      );
    });

    it('refuses key names with direction controls or invisible characters, naming the character', async () => {
      const [key] = (await alice.get('/api/v1/me/security-keys')).json.keys;
      for (const [name, shown] of [
        ['Office \u202Eyek BSU', 'U+202E'],
        ['\u2066Laptop\u2069', 'U+2066'],
        ['Key\u200E', 'U+200E'],
        ['Key\u200F', 'U+200F'],
        ['Key\u061C', 'U+061C'],
        ['Office\u200Bkey', 'U+200B'],
        ['Office\u3164', 'U+3164'],
        ['\u2800', 'U+2800'],
        ['Key\u2028two', 'U+2028'],
      ]) {
        const refused = await alice.patch(`/api/v1/me/security-keys/${key.id}`, { name });
        expect(refused.status, name).toBe(400);
        expect(refused.json.error.code).toBe('invalid_name');
        expect(refused.json.error.message).toContain(shown);
      }
      const arabic = await alice.patch(`/api/v1/me/security-keys/${key.id}`, { name: 'مفتاح المكتب 2' });
      expect(arabic.status, arabic.text).toBe(200);
      expect((await alice.patch(`/api/v1/me/security-keys/${key.id}`, { name: key.name })).status).toBe(200);
    });

    it('returns 404 not_found for a key id that is not one of the account’s', async () => {
      for (const id of ['999', 'abc', '0', '1e3']) {
        const renamed = await alice.patch(`/api/v1/me/security-keys/${id}`, { name: 'x' });
        expect(renamed.status).toBe(404);
        expect(renamed.json.error.code).toBe('not_found');
        const removed = await alice.delete(`/api/v1/me/security-keys/${id}`, { password: PASSWORD });
        expect(removed.status).toBe(404);
      }
    });

    it('a ticket dies after five refused security-key answers', async () => {
      const client = await signedInClient(server, 'erin');
      await enableTotp(server, client);
      const { ticket } = (await client.post('/api/v1/session', { username: 'erin', password: PASSWORD })).json;
      const credential = authenticationResponse(NONE_ES256);
      for (let attempt = 0; attempt < 5; attempt += 1) {
        const refused = await client.post('/api/v1/session/security-key', { ticket, credential });
        expect(refused.json.error).toEqual({ code: 'invalid_credential', message: REFUSAL_MESSAGES.unknown_challenge });
      }
      expect((await client.post('/api/v1/session/security-key', { ticket, credential })).json.error.code).toBe(
        'invalid_ticket',
      );
      expect((await client.post('/api/v1/session/security-key/options', { ticket })).json.error.code).toBe(
        'invalid_ticket',
      );
      // Five wrong second factors in a row also lock the account for a minute (docs/api.md "Attempt limits").
      const locked = await client.post('/api/v1/session', { username: 'erin', password: PASSWORD });
      expect(locked.status).toBe(429);
      expect(await eventTypes(client)).toContain('locked_out');
    });
  });

  describe('passkey endpoints without a browser', () => {
    it('hands out a fresh challenge for each request, and takes only an empty body', async () => {
      const client = server.client();
      const first = await client.post('/api/v1/session/passkey/options', {});
      const second = await client.post('/api/v1/session/passkey/options', {});
      expect(first.status).toBe(200);
      expect(first.json.options).toMatchObject({ rpId: 'example.org', userVerification: 'required' });
      expect(first.json.options.allowCredentials).toBeUndefined();
      expect(first.json.options.challenge).not.toBe(second.json.options.challenge);
      const extra = await client.post('/api/v1/session/passkey/options', { username: 'alice' });
      expect(extra.status).toBe(400);
    });

    it('refuses a credential no account has, and a challenge issued for something else', async () => {
      const client = server.client();
      const options = await client.post('/api/v1/session/passkey/options', {});
      const unknown = {
        id: 'dW5rbm93bg',
        rawId: 'dW5rbm93bg',
        type: 'public-key',
        response: {
          clientDataJSON: clientDataJson({
            type: 'webauthn.get',
            challenge: options.json.options.challenge,
            origin: 'https://example.org',
          }),
          authenticatorData: 'AAAA',
          signature: 'AAAA',
        },
        clientExtensionResults: {},
      };
      const refused = await client.post('/api/v1/session/passkey', { credential: unknown });
      expect(refused.status).toBe(401);
      expect(refused.json.error).toEqual({ code: 'invalid_credential', message: REFUSAL_MESSAGES.unknown_passkey });

      // A second-factor challenge (bound to a ticket) is no passkey challenge.
      const { ticket } = (await client.post('/api/v1/session', { username: 'alice', password: PASSWORD })).json;
      const keyOptions = await client.post('/api/v1/session/security-key/options', { ticket });
      const borrowed = {
        ...unknown,
        response: {
          ...unknown.response,
          clientDataJSON: clientDataJson({
            type: 'webauthn.get',
            challenge: keyOptions.json.options.challenge,
            origin: 'https://example.org',
          }),
        },
      };
      const answer = await client.post('/api/v1/session/passkey', { credential: borrowed });
      expect(answer.json.error).toEqual({ code: 'invalid_credential', message: REFUSAL_MESSAGES.unknown_challenge });
    });
  });

  describe('the OpenAPI document', () => {
    it('describes every security-key and passkey endpoint with a tag and a summary', async () => {
      const document = (await server.client().get('/api/v1/openapi.json')).json;
      const expected: [string, string][] = [
        ['/api/v1/me/security-keys/options', 'post'],
        ['/api/v1/me/security-keys', 'post'],
        ['/api/v1/me/security-keys', 'get'],
        ['/api/v1/me/security-keys/{id}', 'patch'],
        ['/api/v1/me/security-keys/{id}', 'delete'],
        ['/api/v1/session/security-key/options', 'post'],
        ['/api/v1/session/security-key', 'post'],
        ['/api/v1/session/passkey/options', 'post'],
        ['/api/v1/session/passkey', 'post'],
      ];
      for (const [path, method] of expected) {
        const operation = document.paths[path]?.[method];
        expect(operation, `${method} ${path}`).toBeDefined();
        expect(operation.tags.length).toBeGreaterThan(0);
        expect(operation.summary.length).toBeGreaterThan(10);
      }
    });
  });
});
