// What the disk allows: durable SQLite commits alone, one after another, each a one-row
// transaction, on a database opened by the server's own Database class (WAL, synchronous=FULL,
// the same pragmas) in the folder that holds the benchmark's data. Every sign-in ends in such a
// commit, so this bounds the sign-in rows. Prints one JSON line per run.
// Usage: node --import tsx bench/sqlite-commit-baseline.ts FOLDER '{"warmupSeconds":1,…}'
import { join } from 'node:path';
import { Database } from '../server/db/database.js';
import { printRuns } from './lib/loop.js';

const folder = process.argv[2]!;
const options = JSON.parse(process.argv[3] ?? '') as Parameters<typeof printRuns>[1];
const db = new Database(join(folder, 'commit-baseline.db'));
db.connection.exec('CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, at INTEGER NOT NULL, value BLOB NOT NULL)');
const insert = db.connection.prepare('INSERT INTO t (at, value) VALUES (?, randomblob(64))');
await printRuns(
  async () => {
    db.connection.exec('BEGIN IMMEDIATE');
    insert.run(Date.now());
    db.connection.exec('COMMIT');
    return true;
  },
  { ...options, concurrency: 1 },
);
db.close();
