// The admin commands, one entry each: what --help says, and what it does with the context. A
// command returns its outcome for a person and for --json; `attention` means it ran, but left
// something a person must see to (exit status 2).
import type { KeyReport, SecretKeyService } from '../modules/secret-keys/service.js';
import type { AdminContext } from './context.js';

export interface CommandOutcome {
  /** Sentences for a person, one a line. */
  lines: string[];
  json: Record<string, unknown>;
  attention: boolean;
}

export interface AdminCommand {
  /** One line for --help. */
  summary: string;
  run(context: AdminContext): Promise<CommandOutcome>;
}

export const ADMIN_COMMANDS = {
  'reencrypt-secrets': {
    summary:
      'seal every authenticator-app secret under the current key, then say what each key still holds (docs/deployment.md "Rotating the secret key")',
    async run({ services }) {
      const { secretKeys } = services;
      const { resealed, unopened, usage } = await secretKeys.reencrypt();
      const keys = describeKeys(secretKeys, usage);
      const lines = [
        `Sealed ${count(resealed, 'authenticator-app secret')} anew under the current key ${secretKeys.currentKeyId}.`,
      ];
      if (unopened.length > 0) {
        lines.push(
          `${count(unopened.length, 'authenticator-app secret')} (users ${unopened.join(', ')}) opened under none of the keys given; give the key that sealed them with --previous-secret-key-file and run this again.`,
        );
      }
      return {
        lines: [...lines, ...keys.lines],
        json: { command: 'reencrypt-secrets', resealed, unopenedUserIds: unopened, ...keys.json },
        attention: unopened.length > 0 || keys.attention,
      };
    },
  },
  'key-usage': {
    summary: 'say which keys the stored secrets need, changing nothing',
    async run({ services }) {
      const keys = describeKeys(services.secretKeys, await services.secretKeys.usage());
      return { lines: keys.lines, json: { command: 'key-usage', ...keys.json }, attention: keys.attention };
    },
  },
} as const satisfies Record<string, AdminCommand>;

export type AdminCommandName = keyof typeof ADMIN_COMMANDS;

/** What each key holds, and what that means for the previous keys. */
function describeKeys(
  secretKeys: SecretKeyService,
  usage: KeyReport[],
): Omit<CommandOutcome, 'lines'> & {
  lines: string[];
} {
  const holds = (key: KeyReport) => key.totpSecrets + key.backupCodeAccounts > 0;
  const lines = usage.map(
    (key) =>
      `${key.keyId === null ? 'From before key ids' : `Key ${key.keyId}`} (${key.held}): ${count(key.totpSecrets, 'authenticator-app secret')}, backup codes of ${count(key.backupCodeAccounts, 'account')}.`,
  );
  const stillNeeded = usage.filter((key) => key.held === 'previous' && holds(key)).map((key) => key.keyId!);
  const notGiven = usage.filter((key) => key.held === 'not given' && holds(key)).map((key) => key.keyId!);
  const unrecorded = usage.some((key) => key.held === 'unrecorded' && holds(key));
  if (notGiven.length > 0) {
    lines.push(
      `Stored secrets need key ${notGiven.join(', ')}, which was not given: no server can open them without it.`,
    );
  }
  if (stillNeeded.length > 0) {
    lines.push(
      `Keep giving key ${stillNeeded.join(', ')} with --previous-secret-key-file: backup codes made under it work only with it, until their accounts make new ones.`,
    );
  } else if (notGiven.length === 0 && !unrecorded) {
    lines.push(`Nothing stored needs a key other than the current one, ${secretKeys.currentKeyId}.`);
  }
  if (unrecorded) {
    lines.push(
      'Some secrets are from before key ids were stored: start the server once with the key that sealed them alone, which records it.',
    );
  }
  return {
    lines,
    json: {
      currentKeyId: secretKeys.currentKeyId,
      keys: usage,
      previousKeysStillNeeded: stillNeeded,
      keysNotGiven: notGiven,
    },
    attention: notGiven.length > 0,
  };
}

function count(amount: number, noun: string): string {
  return `${amount} ${noun}${amount === 1 ? '' : 's'}`;
}
