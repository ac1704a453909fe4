// The logger writes to a real rotating file; secrets never reach it, however they arrive.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger, redact, REDACTED } from '../../../src-main/logging/logger.js';
import { RotatingFile } from '../../../src-main/logging/rotating-file.js';

const work = mkdtempSync(join(tmpdir(), 'latchkey-logger-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function logTo(name: string) {
  const file = new RotatingFile({ folder: join(work, name), name: 'latchkey.log', maxBytes: 1024 * 1024, keep: 2 });
  const echoed: string[] = [];
  const log = createLogger({
    file: () => file,
    now: () => new Date('2026-05-01T10:00:00.000Z'),
    echo: (line) => echoed.push(line),
  });
  return { log, echoed, text: () => readFileSync(file.path(0), 'utf8') };
}

describe('redact', () => {
  it('masks registered values and anything shaped like a session, a Bearer token or the key variable', () => {
    expect(redact('key is s3cr3t-value-123 here', ['s3cr3t-value-123'])).toBe(`key is ${REDACTED} here`);
    expect(redact('Cookie: latchkey_session=abc.DEF_123; Path=/', [])).toBe(
      `Cookie: latchkey_session=${REDACTED}; Path=/`,
    );
    expect(redact('authorization: Bearer eyJhbGciOi.J9-x_y', [])).toBe(`authorization: Bearer ${REDACTED}`);
    expect(redact('LATCHKEY_SECRET_KEY=QUJD+/== started', [])).toBe(`LATCHKEY_SECRET_KEY=${REDACTED} started`);
    expect(redact('{"LATCHKEY_SECRET_KEY": "QUJD"}', [])).toBe(`{"LATCHKEY_SECRET_KEY": "${REDACTED}"}`);
    expect(redact('nothing to hide', ['short'])).toBe('nothing to hide');
  });
});

describe('createLogger', () => {
  it('writes stamped lines from the main process and the server, one per line', () => {
    const { log, text, echoed } = logTo('lines');
    log('the window is ready');
    log.server('stdout', 'listening\nready\n');
    expect(text()).toBe(
      '2026-05-01T10:00:00.000Z [main] the window is ready\n' +
        '2026-05-01T10:00:00.000Z [server stdout] listening\n' +
        '2026-05-01T10:00:00.000Z [server stdout] ready\n',
    );
    expect(echoed).toHaveLength(3);
  });

  it("never writes the server's key, even split across output chunks", () => {
    const { log, text } = logTo('key');
    const key = randomBytes(32).toString('base64');
    log.addSecret(key);
    log(`starting with ${key}`);
    log.server('stderr', `latchkey: oops ${key.slice(0, 10)}`);
    log.server('stderr', `${key.slice(10)} in env\n`);
    log.server('stderr', 'unfinished line without a newline');
    log.flush();
    const written = text();
    expect(written).not.toContain(key);
    expect(written).not.toContain(key.slice(0, 20));
    expect(written).toContain(`[main] starting with ${REDACTED}`);
    expect(written).toContain(`[server stderr] latchkey: oops ${REDACTED} in env`);
    expect(written).toContain('[server stderr] unfinished line without a newline');
  });

  it('keeps working, on the console, when the file cannot be written', () => {
    const echoed: string[] = [];
    const log = createLogger({
      file: () => {
        throw new Error('disk full');
      },
      now: () => new Date(0),
      echo: (line) => echoed.push(line),
    });
    expect(() => log('still alive')).not.toThrow();
    expect(echoed).toEqual(['1970-01-01T00:00:00.000Z [main] still alive']);
  });
});
