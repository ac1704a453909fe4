// SECURITY.md "Crashes, power cuts": storage that fails under the server. Disk full, a database busy beyond
// busy_timeout, a read-only database file and a read-only file system: every change is either
// committed and answered with success, or answered 503 storage_unavailable (JSON, Retry-After)
// with nothing changed; and the server recovers by itself once the storage does.
//
// What each simulates, honestly:
// - "database full" sets PRAGMA max_page_count to the current size: SQLite's own SQLITE_FULL
//   path, the same code the server sees when the disk is full. Runs everywhere.
// - "disk full" is the real thing: the data folder on a 2 MiB tmpfs, filled with a file until
//   ENOSPC. Mounting needs root; the test says so and is skipped without it.
// - "read-only file system": that tmpfs remounted read-only (Linux refuses while the server has
//   its files open for writing, so this is at start): the server refuses to start, in a sentence.
// - "read-only database" under a running server: PRAGMA query_only, SQLite's SQLITE_READONLY path
//   (a file's mode cannot change under an open descriptor). Runs everywhere.
// - "read-only database file" at start: chmod 0400 on latchkey.db, the server run as an
//   unprivileged user (root ignores file modes): it refuses to start, naming the file.
// - "busy": a second connection holds the write lock (BEGIN EXCLUSIVE) longer than busy_timeout.
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import SqliteDatabase from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { codeAt, decodeSecret } from '../../server/modules/totp/totp-codes.js';
import { sqliteConnectionOf, startTestServer, totpCode, type TestServer } from '../support/test-server.js';
import { startChildServer, type ChildServer } from './support/child-server.js';
import { databaseFile, openDatabase, protectedState, withDatabase } from './support/data-folder.js';
import { BATTERY, prepareScene, refillTickets, runBattery, type Scene } from './support/write-battery.js';

const IS_ROOT = process.getuid?.() === 0;
const UNPRIVILEGED = 65534; // nobody
const realTotp = (secret: string) => codeAt(decodeSecret(secret), Date.now());

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Whether this file system honours the immutable flag (root only; ext4 does, tmpfs may not). */
function chattrWorks(): boolean {
  const probe = join(mkdtempSync(join(tmpdir(), 'latchkey-chattr-')), 'probe');
  closeSync(openSync(probe, 'w'));
  const works = spawnSync('chattr', ['+i', probe]).status === 0;
  spawnSync('chattr', ['-i', probe]);
  rmSync(join(probe, '..'), { recursive: true, force: true });
  return works;
}

function canMount(): boolean {
  if (!IS_ROOT) return false;
  const probe = mkdtempSync(join(tmpdir(), 'latchkey-mount-probe-'));
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe]).status === 0;
  if (mounted) spawnSync('umount', [probe]);
  rmSync(probe, { recursive: true, force: true });
  return mounted;
}

async function healthyRound(scene: Scene): Promise<void> {
  await refillTickets(scene);
  const outcome = await runBattery(scene);
  expect(outcome.unavailable).toEqual([]);
  expect(outcome.succeeded).toHaveLength(BATTERY.length);
}

/** Runs the battery until storage refuses at least `wanted` steps (bounded). */
async function untilRefused(scene: Scene, wanted: number, rounds = 8) {
  const refused: string[] = [];
  for (let round = 0; round < rounds && refused.length < wanted; round += 1) {
    refused.push(...(await runBattery(scene)).unavailable);
  }
  expect(refused.length, 'the fault never reached a write').toBeGreaterThanOrEqual(wanted);
  return refused;
}

describe('storage faults', () => {
  it('database full (SQLITE_FULL): 503 with nothing changed, then recovers', async () => {
    const server: TestServer = await startTestServer();
    cleanups.push(() => server.close());
    const scene = await prepareScene(server.client, server.dataDir, (secret) => totpCode(secret, server.clock));
    await healthyRound(scene);
    await refillTickets(scene);

    const connection = sqliteConnectionOf(server);
    connection.exec('VACUUM'); // no free pages left to reuse
    connection.pragma(`max_page_count = ${connection.pragma('page_count', { simple: true })}`);
    // Writes fill the slack in the last pages first; it takes some rounds to need a new page.
    await untilRefused(scene, 3, 30);

    connection.pragma('max_page_count = 1073741823');
    await healthyRound(scene);
  });

  it('busy database (write lock held past busy_timeout): 503 with nothing changed, then recovers', async () => {
    const server: TestServer = await startTestServer();
    cleanups.push(() => server.close());
    const scene = await prepareScene(server.client, server.dataDir, (secret) => totpCode(secret, server.clock));
    await healthyRound(scene);
    await refillTickets(scene);

    const locker = new SqliteDatabase(databaseFile(server.dataDir));
    cleanups.push(() => locker.close());
    locker.exec('BEGIN EXCLUSIVE');
    // One request waits out the real busy_timeout (5 s) ...
    const started = performance.now();
    const regenerate = await scene.alice.post('/api/v1/me/backup-codes', { password: 'correct horse battery' });
    expect(regenerate.status, regenerate.text).toBe(503);
    expect(performance.now() - started).toBeGreaterThanOrEqual(4900);
    // ... the rest of the battery with a short one, so the test stays quick (same code path).
    const connection = sqliteConnectionOf(server);
    connection.pragma('busy_timeout = 50');
    const outcome = await runBattery(scene);
    expect(outcome.succeeded).toEqual([]);
    // Reads do not need the write lock (WAL): the account page still answers.
    expect((await scene.alice.get('/api/v1/me')).status).toBe(200);

    locker.exec('ROLLBACK');
    connection.pragma('busy_timeout = 5000');
    await healthyRound(scene);
  }, 60_000);

  it('read-only database under a running server (SQLITE_READONLY): 503 with nothing changed, reads work', async () => {
    const server: TestServer = await startTestServer();
    cleanups.push(() => server.close());
    const scene = await prepareScene(server.client, server.dataDir, (secret) => totpCode(secret, server.clock));
    await healthyRound(scene);
    await refillTickets(scene);

    const connection = sqliteConnectionOf(server);
    connection.pragma('query_only = ON');
    const outcome = await runBattery(scene);
    expect(outcome.succeeded).toEqual([]);
    expect(outcome.unavailable.length).toBeGreaterThanOrEqual(BATTERY.length - 2);
    expect((await scene.alice.get('/api/v1/me')).json.twoFactor.enabled).toBe(true);

    connection.pragma('query_only = OFF');
    await healthyRound(scene);
  });

  it('read-only database file at start: the server refuses to start, naming the file, and loses nothing', async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'latchkey-readonly-')), 'data');
    cleanups.push(() => {
      spawnSync('chattr', ['-i', databaseFile(dataDir)]);
      rmSync(join(dataDir, '..'), { recursive: true, force: true });
    });
    // Root writes through file modes, so as root the file is made immutable instead (access(2) then
    // refuses writing with EPERM, for root too); only where chattr can't, the server runs as an
    // unprivileged user — which needs the checkout to be readable by that user.
    const immutable = IS_ROOT && chattrWorks();
    const user = IS_ROOT && !immutable ? { uid: UNPRIVILEGED, gid: UNPRIVILEGED } : {};
    if (IS_ROOT && !immutable) {
      mkdirSync(dataDir, { mode: 0o700 });
      chownSync(join(dataDir, '..'), UNPRIVILEGED, UNPRIVILEGED);
      chownSync(dataDir, UNPRIVILEGED, UNPRIVILEGED);
    }
    let server: ChildServer = await startChildServer({ port: 4852, dataDir, ...user });
    cleanups.push(() => server.kill());
    const scene = await prepareScene(() => server.client(), dataDir, realTotp);
    await healthyRound(scene);
    await server.kill('SIGTERM');
    const before = withDatabase(dataDir, protectedState);

    // SQLite would open it read-only without a word and answer every change with an error.
    chmodSync(databaseFile(dataDir), 0o400);
    if (immutable) expect(spawnSync('chattr', ['+i', databaseFile(dataDir)]).status).toBe(0);
    const refused = await startChildServer({ port: 4852, dataDir, ...user }).catch((error: Error) => error);
    expect(refused).toBeInstanceOf(Error);
    expect((refused as Error).message).toMatch(
      /latchkey: The database .*latchkey\.db cannot be opened: .*latchkey\.db is read-only; make the data folder's files writable by the user that runs Latchkey \(chmod 600\)\.\n/,
    );
    expect((refused as Error).message).not.toMatch(/\n\s+at /);

    if (immutable) expect(spawnSync('chattr', ['-i', databaseFile(dataDir)]).status).toBe(0);
    chmodSync(databaseFile(dataDir), 0o600);
    server = await startChildServer({ port: 4852, dataDir, ...user });
    expect(withDatabase(dataDir, protectedState)).toBe(before);
    await healthyRound(scene);
  }, 60_000);

  describe.skipIf(!canMount())('on a real file system (needs root to mount a tmpfs)', () => {
    it('disk full (ENOSPC): 503 with nothing changed, then recovers; a read-only file system: no start', async () => {
      const mountPoint = mkdtempSync(join(tmpdir(), 'latchkey-tmpfs-'));
      expect(spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=2m,mode=0700', 'tmpfs', mountPoint]).status).toBe(0);
      cleanups.push(() => {
        spawnSync('umount', ['-l', mountPoint]);
        rmSync(mountPoint, { recursive: true, force: true });
      });
      const dataDir = join(mountPoint, 'data');
      let server: ChildServer = await startChildServer({ port: 4851, dataDir });
      cleanups.push(() => server.kill());
      const scene = await prepareScene(() => server.client(), dataDir, realTotp);
      await healthyRound(scene);
      await refillTickets(scene);

      // Fill the disk to the last byte the file system will give.
      const filler = join(mountPoint, 'filler');
      const fd = openSync(filler, 'w');
      for (const size of [65536, 4096, 512, 1]) {
        try {
          for (;;) writeSync(fd, Buffer.alloc(size));
        } catch (error) {
          expect((error as NodeJS.ErrnoException).code).toBe('ENOSPC');
        }
      }
      closeSync(fd);
      await untilRefused(scene, 3);
      rmSync(filler);
      await healthyRound(scene);
      await refillTickets(scene);

      // A read-only file system (remounting needs the files closed): a clear refusal to start.
      await server.kill('SIGTERM');
      expect(spawnSync('mount', ['-o', 'remount,ro', mountPoint]).status).toBe(0);
      const refused = await startChildServer({ port: 4851, dataDir }).catch((error: Error) => error);
      expect((refused as Error).message).toMatch(
        /latchkey: The data folder .* cannot be used: .*read-only file system/i,
      );
      expect(spawnSync('mount', ['-o', 'remount,rw', mountPoint]).status).toBe(0);
      server = await startChildServer({ port: 4851, dataDir });
      await healthyRound(scene);

      // And what is on that disk is a sound database.
      await server.kill('SIGTERM');
      const db = openDatabase(dataDir, { readonly: false });
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      db.close();
      server = await startChildServer({ port: 4851, dataDir });
      await healthyRound(scene);
    }, 120_000);
  });
});
