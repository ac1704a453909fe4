// The lint rules that keep the server's shape (eslint.config.js): a route only parses, calls one
// service method and shapes the answer; a module uses another only through its index.ts. Real
// ESLint, with the repository's own configuration, on snippets placed where the rules apply.
import { fileURLToPath } from 'node:url';
import { ESLint, type Linter } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const eslint = new ESLint({ cwd: root });

/** The architectural findings (rule, line) for `code` as if it were the file at `filePath`. */
async function findings(filePath: string, code: string): Promise<{ rule: string; line: number; message: string }[]> {
  const [result] = await eslint.lintText(code, { filePath });
  const architectural = (message: Linter.LintMessage) =>
    message.ruleId === 'no-restricted-imports' || message.ruleId === 'no-restricted-syntax';
  return result!.messages
    .filter(architectural)
    .map((message) => ({ rule: message.ruleId!, line: message.line, message: message.message }));
}

const ROUTE_MESSAGE = /A route parses, calls one service method and shapes the answer/;
const MODULE_MESSAGE = /Use another module only through its index\.ts/;

describe('server routes', () => {
  it('refuses a route that opens a transaction, takes a lock, records an event or imports storage', async () => {
    const code = [
      "import type { TransactionRunner } from '../../db/transaction-runner.js';", // 1
      "import { Database } from '../../db/database.js';", // 2
      'export async function handler(services: any, db: TransactionRunner, events: any) {', // 3
      '  await services.db.transaction(async () => undefined);', // 4
      '  await services.db.lockAccount(1);', // 5
      "  await db.lockNames(['name']);", // 6
      "  await services.events.record(1, 'signed_in', null);", // 7
      "  await events.record(1, 'signed_in', null);", // 8
      '  return Database;',
      '}',
    ].join('\n');
    const found = await findings('server/modules/example/routes.ts', code);
    expect(found.map(({ rule, line }) => [rule, line])).toEqual([
      ['no-restricted-imports', 1],
      ['no-restricted-imports', 2],
      ['no-restricted-syntax', 4],
      ['no-restricted-syntax', 5],
      ['no-restricted-syntax', 6],
      ['no-restricted-syntax', 7],
      ['no-restricted-syntax', 8],
    ]);
    for (const { message } of found) expect(message).toMatch(ROUTE_MESSAGE);
  });

  it('lets a route parse, call one service method and shape the answer', async () => {
    const code = [
      "import { clientInfo } from '../../http/client-info.js';",
      "import type { AppServices } from '../../services.js';",
      "import type { Account } from '../accounts/index.js';",
      'export async function handler(services: AppServices, request: any, account: Account) {',
      '  const session = await services.sessions.require(request);',
      '  const events = await services.events.list(session.userId);',
      '  return { events, twoFactor: await services.totp.disable(account, request.body.password, clientInfo(request)) };',
      '}',
    ].join('\n');
    expect(await findings('server/modules/example/routes.ts', code)).toEqual([]);
  });
});

describe('server modules', () => {
  it("refuses an import of another module's insides, from a service or a route", async () => {
    const code = [
      "import type { AccountRepository } from '../accounts/repository.js';",
      "import { ChallengeStore } from '../security-keys/challenges.js';",
      'export type Both = [AccountRepository, ChallengeStore];',
    ].join('\n');
    for (const file of ['server/modules/example/service.ts', 'server/modules/example/routes.ts']) {
      const found = await findings(file, code);
      expect(found.map(({ rule, line }) => [rule, line])).toEqual([
        ['no-restricted-imports', 1],
        ['no-restricted-imports', 2],
      ]);
      for (const { message } of found) expect(message).toMatch(MODULE_MESSAGE);
    }
  });

  it("lets a service use another module's index.ts, its own files, storage and the shared server code", async () => {
    const code = [
      "import type { TransactionRunner } from '../../db/transaction-runner.js';",
      "import { errors } from '../../http/api-error.js';",
      "import type { Account } from '../accounts/index.js';",
      "import type { ExampleRepository } from './repository.js';",
      'export type All = [TransactionRunner, typeof errors, Account, ExampleRepository];',
    ].join('\n');
    expect(await findings('server/modules/example/service.ts', code)).toEqual([]);
  });

  it('leaves the composition root free to wire the insides of every module', async () => {
    const code = "export { ChallengeStore } from './modules/security-keys/challenges.js';";
    expect(await findings('server/services.ts', code)).toEqual([]);
  });
});
