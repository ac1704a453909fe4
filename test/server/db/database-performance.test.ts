// What server/db/database.ts does for speed: a larger page cache, and group commit — transactions
// that start while a commit is pending share one COMMIT, and so one fsync, yet each stays atomic
// on its own and settles only once durable.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Database } from '../../../server/db/database.js';

describe('Database page cache and group commit', () => {
  let dir: string;
  let db: Database;
  let insert: (x: number) => Promise<unknown>;
  const rows = () => db.connection.prepare('SELECT x FROM t ORDER BY x').pluck().all();

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'latchkey-group-commit-'));
    db = new Database(join(dir, 'test.db'));
    db.connection.exec('CREATE TABLE t (x INTEGER PRIMARY KEY)');
    const statement = db.connection.prepare('INSERT INTO t VALUES (?)');
    insert = (x) => db.run(() => statement.run(x));
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps a page cache of up to 32 MiB, so lookups in a large database stay in memory', () => {
    expect(db.connection.pragma('cache_size', { simple: true })).toBe(-32768);
  });

  it('commits transactions that start in the same turn with one COMMIT', async () => {
    const exec = vi.spyOn(db.connection, 'exec');
    await Promise.all([1, 2, 3, 4, 5].map((x) => db.transaction(() => insert(x))));
    expect(rows()).toEqual([1, 2, 3, 4, 5]);
    expect(exec.mock.calls.filter(([sql]) => sql === 'COMMIT')).toHaveLength(1);
    expect(exec.mock.calls.filter(([sql]) => sql === 'BEGIN IMMEDIATE')).toHaveLength(1);
  });

  it('settles a transaction only after its COMMIT: another connection already sees the change', async () => {
    const other = new SqliteDatabase(join(dir, 'test.db'), { readonly: true });
    try {
      await Promise.all([
        db.transaction(() => insert(1)).then(() => other.prepare('SELECT count(*) FROM t').pluck().get()),
        db.transaction(() => insert(2)),
      ]).then(([seen]) => expect(seen).toBe(2));
    } finally {
      other.close();
    }
  });

  it('rolls back only the member that failed; the others of its batch commit', async () => {
    const results = await Promise.allSettled([
      db.transaction(() => insert(1)),
      db.transaction(async () => {
        await insert(2);
        throw new Error('this one fails');
      }),
      db.transaction(() => insert(3)),
    ]);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(rows()).toEqual([1, 3]);
  });

  it('runs members one at a time, even when they await inside', async () => {
    const order: string[] = [];
    const member = (name: string, x: number) =>
      db.transaction(async () => {
        order.push(`${name} starts`);
        await insert(x);
        await new Promise((resolve) => setTimeout(resolve, 5));
        await insert(x + 10);
        order.push(`${name} ends`);
      });
    await Promise.all([member('a', 1), member('b', 2)]);
    expect(order).toEqual(['a starts', 'a ends', 'b starts', 'b ends']);
    expect(rows()).toEqual([1, 2, 11, 12]);
  });

  it('fails every member, and keeps none of their work, when the COMMIT itself fails', async () => {
    // A deferred foreign key is checked only at COMMIT: one bad member sinks the batch.
    db.connection.exec(
      'CREATE TABLE child (parent INTEGER REFERENCES t(x) DEFERRABLE INITIALLY DEFERRED); PRAGMA foreign_keys = ON',
    );
    const orphan = db.connection.prepare('INSERT INTO child VALUES (999)');
    const results = await Promise.allSettled([
      db.transaction(() => insert(1)),
      db.transaction(() => db.run(() => orphan.run())),
    ]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
    expect((results[0] as PromiseRejectedResult).reason.message).toMatch(/FOREIGN KEY/);
    expect(rows()).toEqual([]);
    expect(db.connection.inTransaction).toBe(false);
    // The next batch starts clean.
    await db.transaction(() => insert(2));
    expect(rows()).toEqual([2]);
  });

  it('keeps a statement outside any transaction waiting until the batch has committed', async () => {
    let inserted!: () => void;
    const insertedOne = new Promise<void>((resolve) => (inserted = resolve));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow = db.transaction(async () => {
      await insert(1);
      inserted();
      await gate;
    });
    await insertedOne;
    let committed = false;
    void slow.then(() => (committed = true));
    const count = db.run((connection) => {
      // Runs only after the COMMIT: never inside someone else's open transaction.
      expect(connection.inTransaction).toBe(false);
      return connection.prepare('SELECT count(*) FROM t').pluck().get();
    });
    release();
    expect(await count).toBe(1);
    await slow;
    expect(committed).toBe(true);
  });

  it('lets nested transactions join their outer member, and later ones open a new batch', async () => {
    const exec = vi.spyOn(db.connection, 'exec');
    await db.transaction(async () => {
      await insert(1);
      await db.transaction(() => insert(2));
    });
    await db.transaction(() => insert(3));
    expect(rows()).toEqual([1, 2, 3]);
    expect(exec.mock.calls.filter(([sql]) => sql === 'COMMIT')).toHaveLength(2);
  });
});
