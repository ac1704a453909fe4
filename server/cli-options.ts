// One options table drives parsing, the LATCHKEY_* environment fallback and --help, for the server
// (config.ts) and the admin commands (admin/cli.ts) alike (fastify/demo's rule: config validated at
// boot, every problem one ConfigError sentence).
import { delimiter } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError } from './config-error.js';

export interface OptionSpec {
  env: string;
  help: string;
  type: 'string' | 'boolean';
  /** Given several times; its variable holds the values separated by the system's path delimiter. */
  multiple?: true;
}

export type OptionTable = Record<string, OptionSpec>;

/** What a command line and the environment say, option by option (the command line wins). */
export interface OptionValues<Name extends string> {
  read(name: Name): string | undefined;
  readFlag(name: Name): boolean;
  readAll(name: Name): string[];
  /** Words that are not options (an admin command's name). */
  positionals: string[];
}

export function parseOptions<Table extends OptionTable>(
  table: Table,
  argv: string[],
  env: NodeJS.ProcessEnv,
  { allowPositionals = false } = {},
): OptionValues<keyof Table & string> {
  type Name = keyof Table & string;
  let values: Partial<Record<Name, string | boolean | string[]>>;
  let positionals: string[];
  try {
    const parsed = parseArgs({
      args: argv,
      options: Object.fromEntries(
        Object.entries(table).map(([name, spec]) => [
          name,
          { type: spec.type, ...(spec.multiple ? { multiple: true } : {}) },
        ]),
      ),
      strict: true,
      allowPositionals,
    });
    values = parsed.values as typeof values;
    positionals = parsed.positionals;
  } catch (error) {
    throw new ConfigError(`${(error as Error).message.split('\n')[0]} Run with --help to see the options.`);
  }
  const fromEnv = (name: Name): string | undefined => {
    const envName = table[name]!.env;
    const value = envName ? env[envName] : undefined;
    return value === '' ? undefined : value;
  };
  return {
    positionals,
    read(name) {
      const fromArgs = values[name];
      return typeof fromArgs === 'string' ? fromArgs : fromEnv(name);
    },
    readFlag(name) {
      if (values[name] === true) return true;
      const value = fromEnv(name);
      return value === '1' || value === 'true';
    },
    readAll(name) {
      const fromArgs = values[name];
      if (Array.isArray(fromArgs)) return fromArgs;
      return (fromEnv(name) ?? '').split(delimiter).filter((value) => value !== '');
    },
  };
}

/** The table's lines of --help: each option, what it does, and its variable. */
export function optionHelp(table: OptionTable): string[] {
  const flags = Object.entries(table).map(([name, spec]) => (spec.type === 'string' ? `--${name} VALUE` : `--${name}`));
  const width = Math.max(...flags.map((flag) => flag.length));
  return Object.values(table).map((spec, index) => {
    const env = spec.env ? `  [${spec.env}]` : '';
    return `  ${flags[index]!.padEnd(width)} ${spec.help}${env}`;
  });
}
