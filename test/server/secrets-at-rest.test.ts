// After a full flow, neither the database (any column of any table) nor the data folder holds the
// password, TOTP secret, backup codes or session token in clear — in the SQLite file, its WAL, or
// anywhere else; and the folder is private. On each backend.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { decodeSecret } from '../../server/modules/totp/totp-codes.js';
import { describeEachBackend, queryRows } from '../support/backends.js';
import { startTestServer, totpCode, type TestServer } from '../support/test-server.js';

const CANARY_PASSWORD = 'canary-Pa55word-7f3e9b';

/** Every table's name, on either backend. */
const TABLES = {
  sqlite: "SELECT name AS table_name FROM sqlite_master WHERE type = 'table'",
  postgres: "SELECT tablename AS table_name FROM pg_tables WHERE schemaname = 'public'",
};

describeEachBackend('secrets at rest and in logs', (backend) => {
  let server: TestServer;
  const logs: string[] = [];
  const canaries: Array<[string, Buffer]> = [];

  beforeAll(async () => {
    const logStream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logs.push(chunk.toString('utf8'));
        done();
      },
    });
    server = await startTestServer({ backend, logStream, args: ['--log-level', 'debug'] });
    const client = server.client();
    await client.post('/api/v1/accounts', { username: 'canary', password: CANARY_PASSWORD });
    await client.post('/api/v1/session', { username: 'canary', password: CANARY_PASSWORD });
    const firstSession = client.sessionCookie!;
    const setup = await client.post('/api/v1/me/totp/setup', { password: CANARY_PASSWORD });
    const enabled = await client.post('/api/v1/me/totp/enable', { code: totpCode(setup.json.secret, server.clock) });
    const codes: string[] = enabled.json.backupCodes;
    server.clock.advanceSeconds(30);
    const ticket = (await client.post('/api/v1/session', { username: 'canary', password: CANARY_PASSWORD })).json
      .ticket;
    await client.post('/api/v1/session/backup-code', { ticket, code: codes[0] });
    const secondSession = client.sessionCookie!;
    canaries.push(
      ['password', Buffer.from(CANARY_PASSWORD)],
      ['TOTP secret (Base32)', Buffer.from(setup.json.secret)],
      ['TOTP secret (raw)', Buffer.from(decodeSecret(setup.json.secret))],
      ['session token', Buffer.from(firstSession)],
      ['session token', Buffer.from(secondSession)],
      ['ticket', Buffer.from(ticket)],
      ...codes.flatMap((code): Array<[string, Buffer]> => [
        ['backup code', Buffer.from(code)],
        ['backup code', Buffer.from(code.replace('-', ''))],
      ]),
    );
  });
  afterAll(() => server.close());

  it('keeps no secret in clear in any column of any table', async () => {
    const { storage } = server.server;
    const tables = await queryRows<{ table_name: string }>(storage, TABLES[storage.kind]);
    expect(tables.map((table) => table.table_name)).toEqual(
      expect.arrayContaining(['users', 'backup_codes', 'sessions']),
    );
    let values = 0;
    for (const { table_name: table } of tables) {
      for (const row of await queryRows(storage, `SELECT * FROM ${table}`)) {
        for (const [column, value] of Object.entries(row)) {
          const bytes = Buffer.isBuffer(value) ? value : Buffer.from(String(value));
          values++;
          for (const [what, canary] of canaries) {
            expect(bytes.includes(canary), `${what} found in ${table}.${column}`).toBe(false);
          }
        }
      }
    }
    expect(values).toBeGreaterThan(50);
  });

  it('keeps no secret in clear in any file of the data folder (database, WAL, key file)', () => {
    const files = readdirSync(server.dataDir);
    expect(files).toEqual(
      expect.arrayContaining(
        backend.name === 'sqlite' ? ['latchkey.db', 'latchkey.db-wal', 'secret.key'] : ['secret.key'],
      ),
    );
    for (const file of files) {
      const content = readFileSync(join(server.dataDir, file));
      for (const [what, canary] of canaries) {
        expect(content.includes(canary), `${what} found in ${file}`).toBe(false);
      }
    }
  });

  it('writes no secret to the logs', () => {
    const text = logs.join('');
    expect(text.length).toBeGreaterThan(0);
    for (const [what, canary] of canaries) {
      if (what === 'TOTP secret (raw)') continue;
      expect(text.includes(canary.toString('utf8')), `${what} found in the logs`).toBe(false);
    }
  });

  it('keeps the data folder 0700 and its files 0600', () => {
    expect(statSync(server.dataDir).mode & 0o777).toBe(0o700);
    for (const file of readdirSync(server.dataDir)) {
      expect(statSync(join(server.dataDir, file)).mode & 0o777, file).toBe(0o600);
    }
  });
});
