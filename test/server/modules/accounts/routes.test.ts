import { expect } from 'vitest';
import { describeEachBackend } from '../../../support/backends.js';
import { PASSWORD } from '../../../support/test-server.js';
import { withTestServer } from '../../../support/with-test-server.js';

describeEachBackend('POST /api/v1/accounts', (backend) => {
  const it = withTestServer(backend);

  it('creates an account and answers 201 with the username only', async ({ server }) => {
    const response = await server.client().post('/api/v1/accounts', { username: 'Alice', password: PASSWORD });
    expect(response.status).toBe(201);
    expect(response.json).toEqual({ username: 'Alice' });
  });

  it('refuses a taken username, whatever its letter case', async ({ server }) => {
    const client = server.client();
    await client.post('/api/v1/accounts', { username: 'alice', password: PASSWORD });
    const response = await client.post('/api/v1/accounts', { username: 'ALICE', password: PASSWORD });
    expect(response.status).toBe(409);
    expect(response.json.error.code).toBe('username_taken');
  });

  it('lets exactly one of two simultaneous registrations of one name win', async ({ server }) => {
    const client = server.client();
    const results = await Promise.all(
      Array.from({ length: 6 }, () => client.post('/api/v1/accounts', { username: 'race', password: PASSWORD })),
    );
    expect(results.filter((result) => result.status === 201)).toHaveLength(1);
    expect(results.filter((result) => result.status === 409)).toHaveLength(5);
  });

  it('measures password length in characters after NFC normalisation', async ({ server }) => {
    const client = server.client();
    // Seven "é" typed as e + combining accent are 14 code units but 7 characters after NFC.
    const short = await client.post('/api/v1/accounts', { username: 'bob', password: 'e\u0301'.repeat(7) });
    expect(short.status).toBe(400);
    expect(short.json.error.code).toBe('weak_password');
    const emoji = await client.post('/api/v1/accounts', { username: 'carol', password: '🔑'.repeat(8) });
    expect(emoji.status).toBe(201);
  });

  it('refuses a password over 128 characters instead of truncating it', async ({ server }) => {
    const client = server.client();
    const long = await client.post('/api/v1/accounts', { username: 'dave', password: 'a'.repeat(129) });
    expect(long.status).toBe(400);
    expect(long.json.error.code).toBe('password_too_long');
    const exact = await client.post('/api/v1/accounts', { username: 'dave', password: 'a'.repeat(128) });
    expect(exact.status).toBe(201);
    const signIn = await client.post('/api/v1/session', { username: 'dave', password: 'a'.repeat(129) });
    expect(signIn.status).toBe(401);
    expect(signIn.json.error.code).toBe('invalid_credentials');
  });

  it('refuses a password or username that is not well-formed Unicode, and never lets one sign in', async ({
    server,
  }) => {
    const client = server.client();
    // Lone surrogates: both would become U+FFFD on the way to the hash, and so be one password.
    const registered = await client.post('/api/v1/accounts', { username: 'erin', password: 'secret-\ud800\ud801' });
    expect(registered.status).toBe(400);
    expect(registered.json.error.code).toBe('malformed_password');
    expect(registered.json.error.message).toMatch(/\S\.$/);
    const badName = await client.post('/api/v1/accounts', { username: 'erin\udfff', password: PASSWORD });
    expect(badName.status).toBe(400);
    expect(badName.json.error.code).toBe('invalid_username');

    expect((await client.post('/api/v1/accounts', { username: 'erin', password: 'secret-\ufffd\ufffd' })).status).toBe(
      201,
    );
    for (const password of ['secret-\ud800\ud801', 'secret-\udfff\udc00']) {
      const signIn = await client.post('/api/v1/session', { username: 'erin', password });
      expect(signIn.status).toBe(401);
      expect(signIn.json.error.code).toBe('invalid_credentials');
    }
    expect((await client.post('/api/v1/session', { username: 'erin', password: 'secret-\ufffd\ufffd' })).status).toBe(
      200,
    );
  });

  it('refuses a username with spaces or control characters', async ({ server }) => {
    const response = await server.client().post('/api/v1/accounts', { username: 'a b', password: PASSWORD });
    expect(response.status).toBe(400);
    expect(response.json.error.code).toBe('invalid_username');
    expect(response.json.error.message).toMatch(/letters, digits/);
  });

  it('answers 403 registration_closed when the server is closed to new accounts', async ({ startServer }) => {
    const closed = await startServer({ args: ['--registration', 'closed'] });
    const response = await closed.client().post('/api/v1/accounts', { username: 'eve', password: PASSWORD });
    expect(response.status).toBe(403);
    expect(response.json.error.code).toBe('registration_closed');
  });
});
