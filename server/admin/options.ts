// The admin commands' options: the server's own for where the data and the keys are (the same
// flags and LATCHKEY_* variables as latchkey-server's, so one environment serves both), and --json.
import type { OptionSpec, OptionValues } from '../cli-options.js';
import { SERVER_OPTIONS, type ServerOptionName } from '../config.js';

const SHARED = [
  'data-dir',
  'secret-key-file',
  'previous-secret-key-file',
  'database-url',
  'database-ssl-mode',
  'database-ca-file',
  'database-password-file',
  'database-connect-timeout-seconds',
] as const satisfies ServerOptionName[];

export const ADMIN_OPTIONS = {
  ...(Object.fromEntries(SHARED.map((name) => [name, SERVER_OPTIONS[name]])) as Pick<
    typeof SERVER_OPTIONS,
    (typeof SHARED)[number]
  >),
  json: { env: '', type: 'boolean', help: 'print the outcome as one JSON object' },
  help: { env: '', type: 'boolean', help: 'print this help and exit' },
} as const satisfies Record<string, OptionSpec>;

export type AdminOptionName = keyof typeof ADMIN_OPTIONS;

/** The admin's values as the server's: every option the admin does not take at its default. */
export function asServerOptions(options: OptionValues<AdminOptionName>): OptionValues<ServerOptionName> {
  const taken = (name: ServerOptionName): name is AdminOptionName & ServerOptionName => name in ADMIN_OPTIONS;
  return {
    positionals: [],
    read: (name) => (taken(name) ? options.read(name) : undefined),
    readFlag: (name) => (taken(name) ? options.readFlag(name) : false),
    readAll: (name) => (taken(name) ? options.readAll(name) : []),
  };
}
