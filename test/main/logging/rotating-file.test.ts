// The log file on a real disk: it rotates before it passes its size, keeps the set number of old
// files, drops the oldest, and is private to the person.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RotatingFile } from '../../../src-main/logging/rotating-file.js';

const work = mkdtempSync(join(tmpdir(), 'latchkey-log-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
let folders = 0;
const freshFolder = () => join(work, `logs-${(folders += 1)}`);

describe('RotatingFile', () => {
  it('rotates before the current file would pass maxBytes and keeps `keep` old files', () => {
    const folder = freshFolder();
    const log = new RotatingFile({ folder, name: 'main.log', maxBytes: 100, keep: 2 });
    const line = (n: number) => `line ${String(n).padStart(3, '0')} ${'x'.repeat(30)}\n`; // 40 bytes
    for (let n = 1; n <= 9; n += 1) log.write(line(n));

    expect(readdirSync(folder).sort()).toEqual(['main.1.log', 'main.2.log', 'main.log']);
    // Two lines fit in 100 bytes, a third would not: 9 lines = 4 full files, the oldest dropped.
    expect(readFileSync(join(folder, 'main.log'), 'utf8')).toBe(line(9));
    expect(readFileSync(join(folder, 'main.1.log'), 'utf8')).toBe(line(7) + line(8));
    expect(readFileSync(join(folder, 'main.2.log'), 'utf8')).toBe(line(5) + line(6));
    for (const name of readdirSync(folder)) expect(statSync(join(folder, name)).size).toBeLessThanOrEqual(100);
    expect(log.files()).toEqual([join(folder, 'main.log'), join(folder, 'main.1.log'), join(folder, 'main.2.log')]);
  });

  it('continues the file a previous run left, counting its size', () => {
    const folder = freshFolder();
    new RotatingFile({ folder, name: 'main.log', maxBytes: 50, keep: 1 }).write('a'.repeat(40));
    const again = new RotatingFile({ folder, name: 'main.log', maxBytes: 50, keep: 1 });
    again.write('b'.repeat(20));
    expect(readFileSync(join(folder, 'main.1.log'), 'utf8')).toBe('a'.repeat(40));
    expect(readFileSync(join(folder, 'main.log'), 'utf8')).toBe('b'.repeat(20));
  });

  it('cuts a single line longer than the whole file', () => {
    const folder = freshFolder();
    const log = new RotatingFile({ folder, name: 'main.log', maxBytes: 10, keep: 1 });
    log.write('0123456789abcdef');
    expect(readFileSync(join(folder, 'main.log'), 'utf8')).toBe('0123456789');
  });

  it.runIf(process.platform !== 'win32')('creates a private folder and private files', () => {
    const folder = freshFolder();
    const log = new RotatingFile({ folder, name: 'main.log', maxBytes: 10, keep: 1 });
    log.write('hello');
    expect(statSync(folder).mode & 0o777).toBe(0o700);
    expect(statSync(join(folder, 'main.log')).mode & 0o777).toBe(0o600);
  });

  it('drops the oldest generation left by an earlier run, and rotates past missing ones', () => {
    const folder = freshFolder();
    const log = new RotatingFile({ folder, name: 'server.log', maxBytes: 10, keep: 3 });
    log.write('first.....');
    writeFileSync(join(folder, 'server.3.log'), 'stale');
    log.write('second....');
    log.write('third.....');
    expect(readdirSync(folder).sort()).toEqual(['server.1.log', 'server.2.log', 'server.log']);
    expect(readFileSync(join(folder, 'server.2.log'), 'utf8')).toBe('first.....');
  });
});
