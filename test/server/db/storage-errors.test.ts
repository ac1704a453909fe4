import { describe, expect, it } from 'vitest';
import { storageUnavailableCode } from '../../../server/db/storage-errors.js';

describe('which database errors mean "unavailable" (503) rather than a fault (500)', () => {
  it.each([
    { what: 'SQLite busy', error: { code: 'SQLITE_BUSY' }, code: 'SQLITE_BUSY' },
    { what: 'SQLite write I/O error', error: { code: 'SQLITE_IOERR_WRITE' }, code: 'SQLITE_IOERR_WRITE' },
    { what: 'PostgreSQL read-only transaction', error: { code: '25006' }, code: '25006' },
    { what: 'PostgreSQL disk full', error: { code: '53100' }, code: '53100' },
    { what: 'PostgreSQL connection failure', error: { code: '08006' }, code: '08006' },
    { what: 'PostgreSQL shutting down', error: { code: '57P01' }, code: '57P01' },
    { what: 'PostgreSQL deadlock', error: { code: '40P01' }, code: '40P01' },
    { what: 'connection refused', error: { code: 'ECONNREFUSED' }, code: 'ECONNREFUSED' },
    { what: 'connection cut', error: new Error('Connection terminated unexpectedly'), code: 'connection lost' },
    { what: 'pool wait', error: new Error('timeout exceeded when trying to connect'), code: 'connection lost' },
  ])('$what is unavailable', ({ error, code }) => {
    expect(storageUnavailableCode(error)).toBe(code);
  });

  it.each([
    { what: 'SQLite unique constraint', error: { code: 'SQLITE_CONSTRAINT_UNIQUE' } },
    { what: 'PostgreSQL unique violation', error: { code: '23505' } },
    { what: 'PostgreSQL missing table', error: { code: '42P01' } },
    { what: 'a programming error', error: new TypeError('Cannot read properties of undefined') },
    { what: 'null', error: null },
  ])('$what is a fault', ({ error }) => {
    expect(storageUnavailableCode(error)).toBeNull();
  });
});
