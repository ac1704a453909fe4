// The admin commands, one entry each: what --help says, and what it does with the context. A
// command returns its outcome for a person and for --json; `attention` means it ran, but left
// something a person must see to (exit status 2). A command that names an account takes its
// username as the one argument after the command (`show alice`).
import type { Account } from '../modules/accounts/index.js';
import type { AccountDetails, AccountOverview } from '../modules/administration/index.js';
import type { KeyReport, SecretKeyService } from '../modules/secret-keys/service.js';
import type { AdminContext } from './context.js';

/** A command that cannot do what was asked (an unknown account): exit status 1, with this sentence. */
export class AdminRefusal extends Error {}

export interface CommandOutcome {
  /** Sentences for a person, one a line. */
  lines: string[];
  json: Record<string, unknown>;
  attention: boolean;
}

export interface AdminCommand {
  /** One line for --help. */
  summary: string;
  /** What the command takes after its name: an account's username, or nothing. */
  operand?: 'USERNAME';
  run(context: AdminContext, operand: string | undefined): Promise<CommandOutcome>;
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
  list: {
    summary: 'list every account with its two-factor state and whether sign-in is paused',
    async run({ services }) {
      const accounts = await services.administration.list();
      const lines = accounts.length === 0 ? ['There are no accounts.'] : accounts.map(describeOverview);
      return { lines, json: { command: 'list', accounts: accounts.map(overviewJson) }, attention: false };
    },
  },
  show: {
    summary: "show an account's factors, backup codes left, sign-in pause, sessions and last ten events",
    operand: 'USERNAME',
    async run({ services }, username) {
      const details = await services.administration.show(await account(services, username));
      return {
        lines: describeDetails(details),
        json: { command: 'show', account: detailsJson(details) },
        attention: false,
      };
    },
  },
  unlock: {
    summary: "clear an account's failed attempts and any sign-in pause (recorded in its activity)",
    operand: 'USERNAME',
    async run({ services }, username) {
      const before = await services.administration.unlock(await account(services, username));
      const pause =
        before.lockedUntil === null ? 'no sign-in pause' : `the sign-in pause until ${iso(before.lockedUntil)}`;
      return {
        lines: [
          `Cleared ${count(before.consecutiveFailures, 'failed attempt')} and ${pause} of ${before.username}; they can sign in now.`,
        ],
        json: {
          command: 'unlock',
          username: before.username,
          clearedFailures: before.consecutiveFailures,
          wasPausedUntil: before.lockedUntil === null ? null : iso(before.lockedUntil),
        },
        attention: false,
      };
    },
  },
  'end-sessions': {
    summary: 'sign an account out everywhere (recorded in its activity)',
    operand: 'USERNAME',
    async run({ services }, username) {
      const target = await account(services, username);
      const ended = await services.administration.endSessions(target);
      return {
        lines: [`Ended ${count(ended, 'session')} of ${target.username}.`],
        json: { command: 'end-sessions', username: target.username, sessionsEnded: ended },
        attention: false,
      };
    },
  },
  'reset-two-factor': {
    summary:
      'for a person who lost every factor, after checking who they are: turn two-factor off, remove every key and backup code, end every session (docs/deployment.md "Helpdesk recovery")',
    operand: 'USERNAME',
    async run({ services }, username) {
      const target = await account(services, username);
      const before = await services.administration.show(target);
      const ended = await services.administration.resetTwoFactor(target);
      const removed = before.twoFactor;
      return {
        lines: [
          `Turned two-factor authentication off for ${target.username}: ${removed.totp ? 'authenticator-app codes, ' : ''}${count(removed.securityKeys, 'security key')} and ${count(removed.backupCodesRemaining, 'backup code')} removed, ${count(ended, 'session')} ended.`,
          `${target.username} now signs in with the password alone; ask them to set two-factor authentication up again at once.`,
        ],
        json: {
          command: 'reset-two-factor',
          username: target.username,
          removed: {
            totp: removed.totp,
            securityKeys: removed.securityKeys,
            backupCodes: removed.backupCodesRemaining,
          },
          sessionsEnded: ended,
        },
        attention: false,
      };
    },
  },
} as const satisfies Record<string, AdminCommand>;

/** The account named, or the one sentence that says there is none. */
async function account(services: AdminContext['services'], username: string | undefined): Promise<Account> {
  const found = username === undefined ? null : await services.administration.findAccount(username);
  if (!found) throw new AdminRefusal(`There is no account named "${username}"; run list to see the accounts.`);
  return found;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function describeTwoFactor(twoFactor: AccountOverview['twoFactor']): string {
  if (!twoFactor.enabled) return 'two-factor off';
  const factors = [
    ...(twoFactor.totp ? ['authenticator app'] : []),
    ...(twoFactor.securityKeys > 0 ? [count(twoFactor.securityKeys, 'security key')] : []),
  ];
  return `two-factor on (${factors.join(', ')}; ${count(twoFactor.backupCodesRemaining, 'backup code')} left)`;
}

function describePause(overview: AccountOverview): string {
  if (overview.lockedUntil !== null) {
    return `sign-in paused until ${iso(overview.lockedUntil)} after ${count(overview.consecutiveFailures, 'failed attempt')}`;
  }
  return overview.consecutiveFailures > 0
    ? `${count(overview.consecutiveFailures, 'failed attempt')} in a row, not paused`
    : 'not paused';
}

function describeOverview(overview: AccountOverview): string {
  return `${overview.username}: ${describeTwoFactor(overview.twoFactor)}; ${describePause(overview)}`;
}

function describeDetails(details: AccountDetails): string[] {
  return [
    describeOverview(details),
    `Created ${iso(details.createdAt)}; ${count(details.sessions, 'live session')}.`,
    'Last events (newest first):',
    ...details.events.map((event) => `  ${iso(event.at)} ${event.type}${event.ip === null ? '' : ` from ${event.ip}`}`),
  ];
}

function overviewJson(overview: AccountOverview): Record<string, unknown> {
  return {
    username: overview.username,
    createdAt: iso(overview.createdAt),
    twoFactor: overview.twoFactor,
    consecutiveFailures: overview.consecutiveFailures,
    pausedUntil: overview.lockedUntil === null ? null : iso(overview.lockedUntil),
  };
}

function detailsJson(details: AccountDetails): Record<string, unknown> {
  return {
    ...overviewJson(details),
    sessions: details.sessions,
    events: details.events.map((event) => ({ ...event, at: iso(event.at) })),
  };
}

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
