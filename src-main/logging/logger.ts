// The app's log: the main process's own messages and everything the bundled server prints, in
// one rotating file in the user-data folder (docs/desktop.md "Logs"), also echoed to the
// console. Secrets never reach it (SECURITY.md): every line goes through redact(), which masks
// the values registered with addSecret() (the bundled server's key) and anything shaped like a
// session cookie, a Bearer token or the server-key variable, whatever printed it.
import type { RotatingFile } from './rotating-file.js';

export type LogSource = 'main' | 'server';

export interface Logger {
  /** One message of the main process. */
  (message: string): void;
  /**
   * A chunk of the bundled server's output. Chunks split lines anywhere, so a line is written
   * once it is whole (a secret cut in two by a chunk boundary is still recognised).
   */
  server(stream: 'stdout' | 'stderr', text: string): void;
  /** Writes what is left of unfinished server lines (the server has exited). */
  flush(): void;
  /** A value never to be written (it is masked wherever it appears). */
  addSecret(value: string): void;
  /** Masks secrets in text that leaves the process by another way (the error screen). */
  redact(text: string): string;
}

export const REDACTED = '[redacted]';

const SHAPED_SECRETS: readonly RegExp[] = [
  /(latchkey_session=)[^;\s"']+/gi,
  /(Bearer\s+)[A-Za-z0-9._~+/=-]+/gi,
  /(LATCHKEY_SECRET_KEY["']?\s*[=:]\s*["']?)[^\s"']+/gi,
];

/** A server line longer than this is written in pieces rather than held back. */
const MAX_PENDING_CHARS = 16 * 1024;

/** Secrets shorter than this are not masked: they would mask ordinary words. */
const MIN_SECRET_LENGTH = 8;

export function redact(text: string, secrets: Iterable<string>): string {
  let masked = text;
  for (const secret of secrets) {
    if (secret.length >= MIN_SECRET_LENGTH) masked = masked.split(secret).join(REDACTED);
  }
  for (const pattern of SHAPED_SECRETS) masked = masked.replace(pattern, `$1${REDACTED}`);
  return masked;
}

export interface LoggerOptions {
  /** Where lines are kept; null before the user-data folder is known or when it can't be written. */
  file: () => RotatingFile | null;
  now: () => Date;
  /** The console, for `npm start` and the test runner. */
  echo?: (line: string) => void;
}

export function createLogger(options: LoggerOptions): Logger {
  const secrets = new Set<string>();
  const write = (source: string, text: string) => {
    const stamp = options.now().toISOString();
    for (const line of redact(text, secrets).split(/\r?\n/)) {
      if (line.trim() === '') continue;
      const entry = `${stamp} [${source}] ${line}`;
      options.echo?.(entry);
      try {
        options.file()?.write(`${entry}\n`);
      } catch {
        // A full disk or a removed folder must not take the app down with it; the console has it.
      }
    }
  };
  const log = ((message: string) => write('main', message)) as Logger;
  const pending = { stdout: '', stderr: '' };
  log.server = (stream, text) => {
    const buffered = pending[stream] + text;
    const end = buffered.lastIndexOf('\n');
    if (end === -1 && buffered.length <= MAX_PENDING_CHARS) {
      pending[stream] = buffered;
      return;
    }
    const whole = end === -1 ? buffered.length : end + 1;
    pending[stream] = buffered.slice(whole);
    write(`server ${stream}`, buffered.slice(0, whole));
  };
  log.flush = () => {
    for (const stream of ['stdout', 'stderr'] as const) {
      if (pending[stream]) write(`server ${stream}`, pending[stream]);
      pending[stream] = '';
    }
  };
  log.addSecret = (value) => {
    secrets.add(value);
  };
  log.redact = (text) => redact(text, secrets);
  return log;
}
