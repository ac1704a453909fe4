// `npm run admin -- COMMAND [options]`: the administrator's commands, on the database and with the
// keys of a server (SQLite in --data-dir, or --database-url), while the servers run. One command
// table (commands.ts), one options table (options.ts). Exit status: 0 done; 1 not run, with one
// sentence (bad arguments, an unreadable key, an unreachable database); 2 done, but something is
// left that a person must see to.
import { optionHelp, parseOptions } from '../cli-options.js';
import { ConfigError } from '../config-error.js';
import { serverConfig } from '../config.js';
import { SecretKeyError } from '../crypto/secret-key.js';
import { ADMIN_COMMANDS, AdminRefusal, type AdminCommand } from './commands.js';
import { openAdminContext, type AdminContext } from './context.js';
import { ADMIN_OPTIONS, asServerOptions } from './options.js';

export interface AdminOutput {
  stdout(text: string): void;
  stderr(text: string): void;
}

export function adminHelpText(): string {
  const usage = (name: string, command: AdminCommand) => (command.operand ? `${name} ${command.operand}` : name);
  const entries: [string, AdminCommand][] = Object.entries(ADMIN_COMMANDS);
  const width = Math.max(...entries.map(([name, command]) => usage(name, command).length));
  const commands = entries.map(([name, command]) => `  ${usage(name, command).padEnd(width)} ${command.summary}`);
  return [
    'Usage: npm run admin -- COMMAND [options]   (or: node build/server/admin/main.js COMMAND [options])',
    '',
    'Commands:',
    ...commands,
    '',
    "Options (the server's own, so that one environment serves both):",
    ...optionHelp(ADMIN_OPTIONS),
    '',
    'Exit status: 0 done; 1 not run (bad arguments, an unreadable key, an unreachable database), with one',
    'sentence; 2 done, but something is left that a person must see to.',
    '',
  ].join('\n');
}

export async function runAdmin(argv: string[], env: NodeJS.ProcessEnv, output: AdminOutput): Promise<number> {
  const fail = (message: string) => {
    output.stderr(`latchkey-admin: ${message}\n`);
    return 1;
  };
  let context: AdminContext;
  let command: AdminCommand;
  let commandName: string;
  let json: boolean;
  let operand: string | undefined;
  try {
    const options = parseOptions(ADMIN_OPTIONS, argv, env, { allowPositionals: true });
    if (options.readFlag('help')) {
      output.stdout(adminHelpText());
      return 0;
    }
    const [name, ...extra] = options.positionals;
    const names = Object.keys(ADMIN_COMMANDS).join(', ');
    if (name === undefined) return fail(`Name a command: ${names}. Run with --help to see them.`);
    if (!Object.hasOwn(ADMIN_COMMANDS, name)) return fail(`There is no command "${name}"; the commands are ${names}.`);
    command = ADMIN_COMMANDS[name as keyof typeof ADMIN_COMMANDS];
    const operands = command.operand ? 1 : 0;
    if (extra.length < operands) return fail(`Name the account: npm run admin -- ${name} ${command.operand}.`);
    if (extra.length > operands) {
      return fail(`Give one command at a time, not "${extra.slice(operands).join(' ')}" after "${name}".`);
    }
    operand = extra[0];
    commandName = name;
    json = options.readFlag('json');
    context = await openAdminContext(serverConfig(asServerOptions(options), env));
  } catch (error) {
    if (error instanceof ConfigError || error instanceof SecretKeyError) return fail(error.message);
    throw error;
  }
  try {
    const outcome = await command.run(context, operand);
    output.stdout(json ? `${JSON.stringify(outcome.json)}\n` : `${outcome.lines.join('\n')}\n`);
    return outcome.attention ? 2 : 0;
  } catch (error) {
    if (error instanceof AdminRefusal) return fail(error.message);
    // Every command is made of steps that each stand on their own: what it finished is kept.
    const reason = (error as Error).message.replace(/\.$/, '');
    return fail(`${commandName} stopped: ${reason}. What it finished is kept; running it again is safe.`);
  } finally {
    await context.close();
  }
}
