// The admin commands (`npm run admin -- COMMAND`), on each backend, against a real server's
// database and key files: re-sealing every TOTP secret under a new key while the server runs, the
// report of what each key still holds, and one sentence with exit status 1 for what it cannot do.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminHelpText, runAdmin } from '../../../server/admin/cli.js';
import { secretKeyId } from '../../../server/crypto/secret-key.js';
import { serverCommand } from '../../attack/support/child-server.js';
import { createPostgresDatabase, describeEachBackend, postgresBackend, queryRows } from '../../support/backends.js';
import {
  enableTotp,
  PASSWORD,
  signedInClient,
  startTestServer,
  totpCode,
  type TestServer,
} from '../../support/test-server.js';

const keys = mkdtempSync(join(tmpdir(), 'latchkey-admin-keys-'));
const keyA = randomBytes(32);
const keyB = randomBytes(32);
const fileA = join(keys, 'a.key');
const fileB = join(keys, 'b.key');
writeFileSync(fileA, keyA, { mode: 0o600 });
writeFileSync(fileB, keyB, { mode: 0o600 });
afterAll(() => rmSync(keys, { recursive: true, force: true }));

async function admin(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runAdmin(args, {}, { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text) });
  return { code, stdout, stderr };
}

describe('the admin command line', () => {
  it('lists its commands, options and exit statuses in --help', async () => {
    const help = await admin(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toBe(adminHelpText());
    for (const text of ['reencrypt-secrets', 'key-usage', '--data-dir', '--database-url', '--json', 'Exit status']) {
      expect(help.stdout).toContain(text);
    }
  });

  it.each([
    [
      [],
      /^latchkey-admin: Name a command: reencrypt-secrets, key-usage, list, show, unlock, end-sessions, reset-two-factor\. Run with --help to see them\.\n$/,
    ],
    [
      ['rotate'],
      /There is no command "rotate"; the commands are reencrypt-secrets, key-usage, list, show, unlock, end-sessions, reset-two-factor\./,
    ],
    [['key-usage', 'now'], /Give one command at a time, not "now" after "key-usage"\./],
    [['key-usage', '--frobnicate'], /Unknown option '--frobnicate'.*--help/],
    [['key-usage', '--database-ssl-mode', 'require'], /--database-ssl-mode applies only with --database-url\./],
  ])('refuses %j with exit status 1 and one sentence', async (args, message) => {
    const result = await admin(args);
    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('never creates a key file or a database: a missing one is named', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'latchkey-admin-empty-'));
    try {
      const noKey = await admin(['key-usage', '--data-dir', dataDir]);
      expect(noKey.code).toBe(1);
      expect(noKey.stderr).toContain(`Cannot read the secret key file ${join(dataDir, 'secret.key')}`);
      expect(existsSync(join(dataDir, 'secret.key'))).toBe(false);
      const noDatabase = await admin(['key-usage', '--data-dir', dataDir, '--secret-key-file', fileA]);
      expect(noDatabase.code).toBe(1);
      expect(noDatabase.stderr).toContain(`There is no Latchkey database at ${join(dataDir, 'latchkey.db')}`);
      expect(existsSync(join(dataDir, 'latchkey.db'))).toBe(false);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describeEachBackend('the admin commands', (backend) => {
  let server: TestServer;
  /** Where the server's data is, in the admin's options. */
  let where: string[];
  let aliceSecret: string;

  beforeAll(async () => {
    server = await startTestServer({ backend, secretKey: keyA });
    where = server.database.args.length > 0 ? server.database.args : ['--data-dir', server.dataDir];
    ({ secret: aliceSecret } = await enableTotp(server, await signedInClient(server, 'alice')));
    await enableTotp(server, await signedInClient(server, 'bob'));
  });
  afterAll(() => server.close());

  async function totpKeyIds(): Promise<string[]> {
    const rows = await queryRows<{ key_id: string }>(
      server.server.storage,
      'SELECT key_id FROM totp_credentials ORDER BY user_id',
    );
    return rows.map((row) => row.key_id);
  }

  it('re-seals every TOTP secret under the new key while the server runs, and says what the old one holds', async () => {
    const idA = secretKeyId(keyA);
    const idB = secretKeyId(keyB);
    const before = await admin(['key-usage', ...where, '--secret-key-file', fileA]);
    expect(before.code, before.stderr).toBe(0);
    expect(before.stdout).toBe(
      [
        `Key ${idA} (current): 2 authenticator-app secrets, backup codes of 2 accounts.`,
        `Nothing stored needs a key other than the current one, ${idA}.`,
        '',
      ].join('\n'),
    );

    const rotated = await admin([
      'reencrypt-secrets',
      ...where,
      '--secret-key-file',
      fileB,
      '--previous-secret-key-file',
      fileA,
      '--json',
    ]);
    expect(rotated.code, rotated.stderr).toBe(0);
    expect(JSON.parse(rotated.stdout)).toEqual({
      command: 'reencrypt-secrets',
      resealed: 2,
      unopenedUserIds: [],
      currentKeyId: idB,
      keys: expect.arrayContaining([
        { keyId: idA, held: 'previous', totpSecrets: 0, backupCodeAccounts: 2 },
        { keyId: idB, held: 'current', totpSecrets: 2, backupCodeAccounts: 0 },
      ]),
      previousKeysStillNeeded: [idA],
      keysNotGiven: [],
    });
    expect(await totpKeyIds()).toEqual([idB, idB]);
    // Again: nothing left to re-seal.
    const again = await admin([
      'reencrypt-secrets',
      ...where,
      '--secret-key-file',
      fileB,
      '--previous-secret-key-file',
      fileA,
    ]);
    expect(again.stdout).toContain('Sealed 0 authenticator-app secrets anew');
    expect(again.stdout).toContain(`Keep giving key ${idA} with --previous-secret-key-file`);

    // Without the old key, the backup codes made under it need attention: exit status 2.
    const withoutA = await admin(['key-usage', ...where, '--secret-key-file', fileB]);
    expect(withoutA.code).toBe(2);
    expect(withoutA.stdout).toContain(`Stored secrets need key ${idA}, which was not given`);

    // A server with the new key (the old one beside it for the backup codes) signs alice in with
    // her app: the secret opened under the key its row now names.
    const restarted = await startTestServer({
      database: server.database,
      dataDir: server.dataDir,
      clock: server.clock,
      secretKey: keyB,
      previousSecretKeys: [keyA],
    });
    try {
      restarted.clock.advanceSeconds(30);
      const client = restarted.client();
      const ticket = (await client.post('/api/v1/session', { username: 'alice', password: PASSWORD })).json.ticket;
      const code = totpCode(aliceSecret, restarted.clock);
      expect((await client.post('/api/v1/session/totp', { ticket, code })).status).toBe(200);
    } finally {
      await restarted.close({ keepData: true });
    }
  });

  it('runs as its own process from the build', () => {
    const [entry] = serverCommand();
    const adminEntry = join(entry!, '..', 'admin', 'main.js');
    const run = spawnSync(
      process.execPath,
      [adminEntry, 'key-usage', ...where, '--secret-key-file', fileB, '--previous-secret-key-file', fileA, '--json'],
      {
        encoding: 'utf8',
      },
    );
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ command: 'key-usage', currentKeyId: secretKeyId(keyB) });
    const refused = spawnSync(process.execPath, [adminEntry, 'unlock-everything'], { encoding: 'utf8' });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/^latchkey-admin: There is no command "unlock-everything"/);
  });
});

describe("the admin commands on a database that is not this version's", () => {
  it.skipIf(postgresBackend().skipReason !== undefined)('change no schema, and say what to do', async () => {
    const empty = await createPostgresDatabase();
    try {
      const result = await admin(['key-usage', ...empty.args, '--secret-key-file', fileA]);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/could not be reached or prepared: it holds no Latchkey data yet\./);
    } finally {
      await empty.drop();
    }
  });
});
