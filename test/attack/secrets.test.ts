// SECURITY.md "Someone with a copy of the data folder" and "Someone reading the logs", as an
// attacker with a copy of the data folder or the logs would look: the built server as its own
// process, logging at debug level to its real stdout, started under umask 000. Canaries (the
// password and near misses of it, the TOTP secret, every backup code, session tokens, a ticket) are
// searched in every file of the data folder except the key file — after a SIGKILL (the WAL as the
// crash left it) and after a clean stop (checkpointed) — and in the logs, in every encoding a
// careless program would use. The folder stays 0700 and its files 0600.
// (test/server/secrets-at-rest.test.ts covers the same in-process.)
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { codeAt, decodeSecret } from '../../server/modules/totp/totp-codes.js';
import type { TestClient } from '../support/http-client.js';
import { startChildServer, type ChildServer } from './support/child-server.js';
import { SoftAuthenticator } from './support/soft-authenticator.js';

const PASSWORD = 'canary-Pa55word-91c2ad';
const NEAR_MISSES = ['canary-Pa55word-91c2aD', 'Canary-Pa55word-91c2ad'];

/** The forms a secret takes when a program writes it carelessly. */
function encodings(value: string | Buffer): Buffer[] {
  const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
  const forms = [bytes, Buffer.from(bytes.toString('hex')), Buffer.from(bytes.toString('hex').toUpperCase())];
  forms.push(Buffer.from(bytes.toString('base64')), Buffer.from(bytes.toString('base64url')));
  if (typeof value === 'string') forms.push(Buffer.from(value, 'utf16le'));
  return forms;
}

describe('secrets at rest and in the logs of the real process', () => {
  const dataDir = join(mkdtempSync(join(tmpdir(), 'latchkey-secrets-')), 'data');
  let server: ChildServer | undefined;
  let logs = '';
  afterAll(async () => {
    await server?.kill();
    rmSync(join(dataDir, '..'), { recursive: true, force: true });
  });

  async function start(): Promise<ChildServer> {
    server = await startChildServer({ port: 4854, dataDir, args: ['--log-level', 'debug'], umask: 0o000 });
    return server;
  }

  async function stop(signal: NodeJS.Signals): Promise<void> {
    await server!.kill(signal);
    logs += server!.output();
  }

  /** Every file and folder in the data folder, in its subfolders too. */
  const dataFolderEntries = () =>
    readdirSync(dataDir, { recursive: true, withFileTypes: true }).map((entry) => ({
      path: join(entry.parentPath, entry.name),
      name: entry.name,
      isFile: entry.isFile(),
    }));

  function expectPrivateFolder(): void {
    expect(statSync(dataDir).mode & 0o777, 'data folder').toBe(0o700);
    for (const entry of dataFolderEntries()) {
      expect(statSync(entry.path).mode & 0o777, entry.path).toBe(entry.isFile ? 0o600 : 0o700);
    }
  }

  it(
    'keeps every canary out of the data folder and the logs; the folder stays private',
    { timeout: 90_000 },
    async () => {
      const canaries: Array<[string, string | Buffer]> = [['password', PASSWORD]];
      for (const nearMiss of NEAR_MISSES) canaries.push(['mistyped password', nearMiss]);
      let running = await start();
      const client: TestClient = running.client();
      expect((await client.post('/api/v1/accounts', { username: 'canary', password: PASSWORD })).status).toBe(201);
      for (const nearMiss of NEAR_MISSES) {
        expect((await client.post('/api/v1/session', { username: 'canary', password: nearMiss })).status).toBe(401);
      }
      // A password sent in the wrong field, or under an unknown one, is refused without an echo.
      expect((await client.post('/api/v1/session', { username: PASSWORD, password: 5 })).status).toBe(400);
      expect(
        (await client.post('/api/v1/session', { username: 'canary', password: PASSWORD, pw: PASSWORD })).status,
      ).toBe(400);
      const signedIn = await client.post('/api/v1/session', { username: 'canary', password: PASSWORD });
      expect(signedIn.json.status).toBe('signed_in');
      canaries.push(
        ['session token', client.sessionCookie!],
        ['session token bytes', Buffer.from(client.sessionCookie!, 'base64url')],
      );

      const setup = await client.post('/api/v1/me/totp/setup', { password: PASSWORD });
      const secret: string = setup.json.secret;
      canaries.push(['TOTP secret', secret], ['TOTP secret bytes', Buffer.from(decodeSecret(secret))]);
      canaries.push(['key URI', setup.json.otpauthUri]);
      const enabled = await client.post('/api/v1/me/totp/enable', { code: codeAt(decodeSecret(secret), Date.now()) });
      const firstCodes: string[] = enabled.json.backupCodes;
      const key = new SoftAuthenticator({ origin: running.origin });
      const options = await client.post('/api/v1/me/security-keys/options', { password: PASSWORD });
      expect(
        (await client.post('/api/v1/me/security-keys', { name: 'Key', credential: key.register(options.json.options) }))
          .status,
      ).toBe(201);
      expect((await client.delete('/api/v1/session')).status).toBe(204);

      const ticketAnswer = await client.post('/api/v1/session', { username: 'canary', password: PASSWORD });
      const ticket: string = ticketAnswer.json.ticket;
      canaries.push(['ticket', ticket]);
      expect((await client.post('/api/v1/session/backup-code', { ticket, code: firstCodes[0] })).status).toBe(200);
      canaries.push(['session token', client.sessionCookie!]);
      const bearer = client.sessionCookie!;
      const viaBearer = await client.get('/api/v1/me', {
        noCookie: true,
        headers: { authorization: `Bearer ${bearer}` },
      });
      expect(viaBearer.status).toBe(200);
      const regenerated = await client.post('/api/v1/me/backup-codes', { password: PASSWORD });
      const codes = [...firstCodes, ...(regenerated.json.backupCodes as string[])];
      for (const code of codes) canaries.push(['backup code', code], ['backup code', code.replace('-', '')]);

      const search = (where: string, content: Buffer) => {
        for (const [what, canary] of canaries) {
          for (const form of encodings(canary)) expect(content.includes(form), `${what} in ${where}`).toBe(false);
        }
      };
      const searchDataFolder = () => {
        const files = dataFolderEntries().filter((entry) => entry.isFile && entry.name !== 'secret.key');
        expect(files.map((entry) => entry.name)).toEqual(expect.arrayContaining(['latchkey.db']));
        for (const file of files) search(file.path, readFileSync(file.path));
        // The control: what is not secret (the username) is there to be found, in clear.
        expect(files.some((file) => readFileSync(file.path).includes('canary'))).toBe(true);
      };

      // A crash leaves the WAL as it was.
      expectPrivateFolder();
      await stop('SIGKILL');
      expect(readdirSync(dataDir)).toEqual(expect.arrayContaining(['latchkey.db-wal']));
      searchDataFolder();
      // A clean stop checkpoints it into the database file.
      running = await start();
      expect((await running.client().get('/api/v1/health')).status).toBe(200);
      expectPrivateFolder();
      await stop('SIGTERM');
      searchDataFolder();

      // The logs really were written: every sign-in's outcome, and at debug every request.
      expect(logs).toMatch(/"outcome":"signed_in".*"msg":"sign-in"/);
      expect(logs).toMatch(/"outcome":"second_factor_required".*"msg":"sign-in"/);
      expect(logs).toMatch(/"msg":"request"/);
      search('the logs', Buffer.from(logs));
    },
  );
});
