// Replacing the server's secret key without losing a TOTP secret or a backup code (SECURITY.md "The
// secret key", docs/deployment.md "Rotating the secret key"), on each backend: every row names the
// key that sealed it; the previous key, given with the new one, still opens what it sealed; a TOTP
// secret is sealed anew under the new key when it is used; a server that lacks a key some row
// needs refuses to start, naming the key.
import { randomBytes } from 'node:crypto';
import { afterEach, expect, it } from 'vitest';
import { secretKeyId } from '../../../server/crypto/secret-key.js';
import { describeEachBackend, queryRows, type TestBackend } from '../../support/backends.js';
import type { TestClient } from '../../support/http-client.js';
import {
  enableTotp,
  PASSWORD,
  signedInClient,
  startTestServer,
  totpCode,
  type TestServer,
  type TestServerOptions,
} from '../../support/test-server.js';

const keyA = randomBytes(32);
const keyB = randomBytes(32);
const idA = secretKeyId(keyA);
const idB = secretKeyId(keyB);

interface KeyIds {
  totp: (string | null)[];
  codes: (string | null)[];
}

async function keyIds(server: TestServer): Promise<KeyIds> {
  const { storage } = server.server;
  const totp = await queryRows<{ key_id: string | null }>(storage, 'SELECT key_id FROM totp_credentials');
  const codes = await queryRows<{ key_id: string | null }>(
    storage,
    'SELECT DISTINCT key_id FROM backup_codes WHERE used_at IS NULL',
  );
  return { totp: totp.map((row) => row.key_id), codes: codes.map((row) => row.key_id) };
}

describeEachBackend('rotating the secret key', (backend: TestBackend) => {
  let server: TestServer | undefined;
  let first: TestServer;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  /** A server on alice's database and data folder (after `first` has stopped), with these keys. */
  function restart(options: Pick<TestServerOptions, 'secretKey' | 'previousSecretKeys'>): Promise<TestServer> {
    return startTestServer({ database: first.database, dataDir: first.dataDir, clock: first.clock, ...options });
  }

  /** A second-factor sign-in, a time step later (a TOTP code is `code()` then). */
  async function signInWith(target: TestServer, path: string, code: () => string): Promise<TestClient> {
    target.clock.advanceSeconds(30);
    const client = target.client();
    const ticket = (await client.post('/api/v1/session', { username: 'alice', password: PASSWORD })).json.ticket;
    const answer = await client.post(path, { ticket, code: code() });
    expect(answer.status, answer.text).toBe(200);
    return client;
  }

  /** Alice with TOTP and ten backup codes, made under key A; the server stopped. */
  async function aliceUnderKeyA(): Promise<{ secret: string; backupCodes: string[] }> {
    first = await startTestServer({ backend, secretKey: keyA });
    const made = await enableTotp(first, await signedInClient(first));
    expect(await keyIds(first)).toEqual({ totp: [idA], codes: [idA] });
    await first.close({ keepData: true });
    return made;
  }

  it('keeps every secret through a rotation: the old key opens, the new one seals', async () => {
    const { secret, backupCodes } = await aliceUnderKeyA();

    // The new key alone cannot open alice's secrets: the server says so instead of starting.
    await expect(restart({ secretKey: keyB })).rejects.toThrow(
      `The database holds secrets sealed under key ${idA}, which this server was not given (it holds ${idB})`,
    );

    // The new key with the old one beside it: everything works, and a used TOTP secret moves over.
    server = await restart({ secretKey: keyB, previousSecretKeys: [keyA] });
    expect(await server.server.services.secretKeys.usage()).toEqual(
      expect.arrayContaining([
        { keyId: idA, totpSecrets: 1, backupCodeAccounts: 1, held: 'previous' },
        { keyId: idB, totpSecrets: 0, backupCodeAccounts: 0, held: 'current' },
      ]),
    );
    const owner = await signInWith(server, '/api/v1/session/totp', () => totpCode(secret, server!.clock));
    expect(await keyIds(server)).toEqual({ totp: [idB], codes: [idA] });
    await signInWith(server, '/api/v1/session/backup-code', () => backupCodes[0]!);
    // Backup codes keep the key they were made with until they are made anew.
    const regenerated = await owner.post('/api/v1/me/backup-codes', { password: PASSWORD });
    expect(regenerated.status, regenerated.text).toBe(200);
    expect(await keyIds(server)).toEqual({ totp: [idB], codes: [idB] });
    await server.close({ keepData: true });

    // Nothing names key A any more: the server starts without it, and all still works.
    server = await restart({ secretKey: keyB });
    await signInWith(server, '/api/v1/session/totp', () => totpCode(secret, server!.clock));
    await signInWith(server, '/api/v1/session/backup-code', () => regenerated.json.backupCodes[1]);
  });

  it('gives rows from before key ids the id of the key that sealed them, found by opening one', async () => {
    const { secret, backupCodes } = await aliceUnderKeyA();
    const forget = () =>
      queryRows(server!.server.storage, 'UPDATE totp_credentials SET key_id = NULL').then(() =>
        queryRows(server!.server.storage, 'UPDATE backup_codes SET key_id = NULL'),
      );

    // As if written by a Latchkey from before key ids; the next start labels them with key A.
    server = await restart({ secretKey: keyA });
    await forget();
    await server.close({ keepData: true });
    server = await restart({ secretKey: keyA });
    expect(await keyIds(server)).toEqual({ totp: [idA], codes: [idA] });

    // Started with the new key as well, the server finds by trial that key A sealed them.
    await forget();
    await server.close({ keepData: true });
    server = await restart({ secretKey: keyB, previousSecretKeys: [keyA] });
    expect(await keyIds(server)).toEqual({ totp: [idA], codes: [idA] });
    await signInWith(server, '/api/v1/session/backup-code', () => backupCodes[2]!);

    // A key that opens none of them is never written onto them: the start is refused instead.
    await forget();
    await server.close({ keepData: true });
    server = undefined;
    await expect(restart({ secretKey: keyB })).rejects.toThrow(
      `The authenticator-app secrets stored before key ids were sealed by a key this server was not given (it holds ${idB})`,
    );
    server = await restart({ secretKey: keyA });
    await signInWith(server, '/api/v1/session/totp', () => totpCode(secret, server!.clock));
  });
});
