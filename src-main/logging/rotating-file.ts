// A size-capped log file with a few old generations kept beside it: `main.log` is written,
// and when the next line would take it past `maxBytes` it becomes `main.1.log` (`main.1.log`
// becomes `main.2.log`, …; the oldest is dropped). Writes are synchronous: the main process
// logs a few lines a minute, and a line written just before a crash is the one support needs.
import { appendFileSync, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';

export interface RotatingFileOptions {
  folder: string;
  /** The current file's name, e.g. `main.log`. */
  name: string;
  /** The current file never grows past this many bytes (a longer single line is cut). */
  maxBytes: number;
  /** How many old files are kept besides the current one. */
  keep: number;
}

export class RotatingFile {
  private size: number;

  constructor(private readonly options: RotatingFileOptions) {
    // Private to the person: the log names their folders and the servers they use.
    mkdirSync(options.folder, { recursive: true, mode: 0o700 });
    this.size = fileSize(this.path(0));
  }

  /** The file of a generation: 0 is the current one. */
  path(generation: number): string {
    const { folder, name } = this.options;
    if (generation === 0) return join(folder, name);
    const extension = extname(name);
    return join(folder, `${basename(name, extension)}.${generation}${extension}`);
  }

  /** Every file of this log, newest first, as they are now. */
  files(): string[] {
    return Array.from({ length: this.options.keep + 1 }, (_, generation) => this.path(generation)).filter(existsSync);
  }

  write(text: string): void {
    let bytes = Buffer.from(text, 'utf8');
    if (bytes.length > this.options.maxBytes) bytes = bytes.subarray(0, this.options.maxBytes);
    if (this.size > 0 && this.size + bytes.length > this.options.maxBytes) this.rotate();
    appendFileSync(this.path(0), bytes, { mode: 0o600 });
    this.size += bytes.length;
  }

  private rotate(): void {
    rmSync(this.path(this.options.keep), { force: true });
    for (let generation = this.options.keep - 1; generation >= 0; generation -= 1) {
      try {
        renameSync(this.path(generation), this.path(generation + 1));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }
    this.size = 0;
  }
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
