// Every statement the SQLite session repository prepares finds its rows through an index, and the
// indexes are the ones migration 006 left: the session's primary key (its token hash) and one index
// on the account and public id (server/migrations/006_session_index.sql). Only the expiry sweep
// reads the whole table, as it must. A statement that fell back to a scan would read every
// session of every account on each request; an index added back beside the one that serves it
// would cost a b-tree write in every sign-in's commit (docs/performance.md "Second-factor sign-in").
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { Database } from '../../../server/db/database.js';
import { loadMigrations, migrate } from '../../../server/db/migrate.js';
import { SqliteSessionRepository } from '../../../server/modules/sessions/sqlite-repository.js';
import { MIGRATIONS_DIR } from '../../../server/storage.js';

let dir: string;
let db: Database;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'latchkey-session-plans-'));
  db = new Database(join(dir, 'latchkey.db'));
  migrate(db.connection, loadMigrations(MIGRATIONS_DIR));
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The SQL of every statement the repository prepares, as it prepares them. */
function preparedBySessionRepository(): string[] {
  const connection = db.connection;
  const prepare = connection.prepare.bind(connection);
  const prepared: string[] = [];
  connection.prepare = ((sql: string) => {
    prepared.push(sql);
    return prepare(sql);
  }) as typeof connection.prepare;
  try {
    new SqliteSessionRepository(db);
  } finally {
    connection.prepare = prepare;
  }
  return prepared;
}

/** SQLite's EXPLAIN QUERY PLAN lines for `sql`, every parameter bound to null. */
function planOf(sql: string): string[] {
  const named = [...sql.matchAll(/@(\w+)/g)].map((match) => match[1]!);
  const positional = sql.match(/\?/g)?.length ?? 0;
  const args =
    named.length > 0 ? [Object.fromEntries(named.map((name) => [name, null]))] : Array<null>(positional).fill(null);
  return db.connection
    .prepare<unknown[], { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`)
    .all(...args)
    .map((row) => row.detail);
}

it('reads sessions through an index in every statement but the expiry sweep', () => {
  const statements = preparedBySessionRepository();
  expect(statements.length).toBeGreaterThan(5);
  const scanning = statements.filter((sql) => planOf(sql).some((line) => /^SCAN sessions\b/.test(line)));
  expect(scanning.map((sql) => sql.replace(/\s+/g, ' '))).toEqual([
    'DELETE FROM sessions WHERE expires_at <= ? OR last_seen_at <= ?',
  ]);
  const byAccount = statements.filter((sql) => /\buser_id = /.test(sql) && !/\btoken_hash = /.test(sql));
  expect(byAccount.length).toBeGreaterThan(0);
  for (const sql of byAccount) {
    expect(planOf(sql).join('\n'), sql).toMatch(/USING (COVERING )?INDEX sessions_by_user_and_public_id \(user_id=\?/);
  }
});

it('keeps two b-trees for sessions: the table and one index on the account and public id', () => {
  const indexes = db.connection
    .prepare<[], { name: string; unique: number }>(
      "SELECT name, \"unique\" FROM pragma_index_list('sessions') WHERE origin = 'c' ORDER BY name",
    )
    .all();
  expect(indexes).toEqual([{ name: 'sessions_by_user_and_public_id', unique: 1 }]);
  const columns = db.connection
    .prepare<[], string>("SELECT name FROM pragma_index_info('sessions_by_user_and_public_id') ORDER BY seqno")
    .pluck()
    .all();
  expect(columns).toEqual(['user_id', 'public_id']);
});
