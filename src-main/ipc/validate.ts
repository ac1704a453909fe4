// The renderer is not trusted with types: every IPC argument arrives as `unknown` and is
// narrowed here before use. Each narrower returns the typed arguments or throws an
// IpcInputError that says what was wrong.

export class IpcInputError extends Error {}

export const LIMITS = {
  fileNameLength: 128,
  /** Backup codes are a few hundred bytes; a megabyte leaves room and still bounds the write. */
  fileContentsBytes: 1024 * 1024,
} as const;

function expectArgumentCount(args: readonly unknown[], count: number): void {
  if (args.length !== count) throw new IpcInputError(`Expected ${count} argument(s), got ${args.length}.`);
}

function expectString(value: unknown, name: string): string {
  if (typeof value !== 'string') throw new IpcInputError(`${name} must be a string.`);
  return value;
}

// Control characters, path separators and characters Windows forbids in file names.
// eslint-disable-next-line no-control-regex
const FORBIDDEN_IN_FILE_NAME = /[\u0000-\u001f\u007f<>:"/\\|?*]/;

/** A suggested file name: a plain name, never a path, so the dialog decides the folder. */
export function narrowFileName(value: unknown): string {
  const name = expectString(value, 'The file name');
  if (name.length === 0 || name.length > LIMITS.fileNameLength) {
    throw new IpcInputError(`The file name must be 1 to ${LIMITS.fileNameLength} characters.`);
  }
  if (FORBIDDEN_IN_FILE_NAME.test(name) || name === '.' || name === '..' || /^\.+$/.test(name)) {
    throw new IpcInputError('The file name may not contain a path or control characters.');
  }
  return name;
}

export function narrowSaveTextFileArgs(args: readonly unknown[]): [suggestedName: string, contents: string] {
  expectArgumentCount(args, 2);
  const name = narrowFileName(args[0]);
  const contents = expectString(args[1], 'The file contents');
  if (Buffer.byteLength(contents, 'utf8') > LIMITS.fileContentsBytes) {
    throw new IpcInputError(`The file contents may be at most ${LIMITS.fileContentsBytes} bytes.`);
  }
  return [name, contents];
}

export function narrowNoArgs(args: readonly unknown[]): [] {
  expectArgumentCount(args, 0);
  return [];
}
