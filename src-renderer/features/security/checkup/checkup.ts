// The security checkup at the top of the Security page: the account's state in a few plain lines
// and the one next step that matters most. The steps are in order of what protects the account
// most (docs/user-center.md "Security checkup"): a password alone first, then a single factor (one
// lost phone locks the person out), then running out of backup codes, then places they are signed
// in that they may not recognise.
import type { TwoFactorStatus } from '../../../api/types.js';
import { LOW_BACKUP_CODES } from '../../../store/session-slice.js';
import { secondFactorSummary } from '../two-factor/second-factor-words.js';

export type CheckupStepKind = 'turn_on_two_factor' | 'add_second_factor' | 'new_backup_codes' | 'review_sessions';

export interface CheckupStep {
  kind: CheckupStepKind;
  /** One sentence: what to do and why. */
  advice: string;
  /** The button that takes the person there. */
  action: string;
  /** The id of the heading of the section where the step is taken (the button focuses it). */
  section: string;
}

export interface Checkup {
  /** Plain lines on the account's state. */
  lines: string[];
  /** The one step that matters most, or null when nothing needs doing. */
  next: CheckupStep | null;
}

/** `otherSessions`: sessions of the account besides this one, or null while not known. */
export function securityCheckup(status: TwoFactorStatus, otherSessions: number | null): Checkup {
  const factors = secondFactorSummary(status);
  const lines = [
    factors
      ? `Two-factor authentication is on: ${factors.charAt(0).toLowerCase()}${factors.slice(1)}.`
      : 'Two-factor authentication is off: your password alone signs you in.',
  ];
  if (status.enabled) {
    lines.push(`${status.backupCodesRemaining} backup ${status.backupCodesRemaining === 1 ? 'code' : 'codes'} left.`);
  }
  if (otherSessions !== null) {
    lines.push(
      otherSessions === 0
        ? 'You are signed in only here.'
        : `You are signed in here and in ${otherSessions} other ${otherSessions === 1 ? 'place' : 'places'}.`,
    );
  }
  return { lines, next: nextStep(status, otherSessions) };
}

function nextStep(status: TwoFactorStatus, otherSessions: number | null): CheckupStep | null {
  if (!status.enabled) {
    return {
      kind: 'turn_on_two_factor',
      advice: 'Turn on two-factor authentication, so that a leaked password alone does not open your account.',
      action: 'Turn on two-factor authentication',
      section: 'two-factor-heading',
    };
  }
  if ((status.totp ? 1 : 0) + status.securityKeys < 2) {
    return {
      kind: 'add_second_factor',
      advice: status.totp
        ? 'Add a security key as well, so that one lost phone does not lock you out.'
        : 'Add a second security key or your authenticator app, so that one lost key does not lock you out.',
      action: status.totp ? 'Go to security keys' : 'Go to two-factor authentication',
      section: status.totp ? 'security-keys-heading' : 'two-factor-heading',
    };
  }
  if (status.backupCodesRemaining <= LOW_BACKUP_CODES) {
    return {
      kind: 'new_backup_codes',
      advice:
        status.backupCodesRemaining === 0
          ? 'You have no backup codes left. Generate new ones, so that you can still sign in without your usual step.'
          : 'You are running low on backup codes. Generate new ones and keep them somewhere safe.',
      action: 'Go to backup codes',
      section: 'backup-codes-heading',
    };
  }
  if (otherSessions !== null && otherSessions > 0) {
    return {
      kind: 'review_sessions',
      advice: 'Review the places you are signed in, and sign out any you do not recognise.',
      action: 'Review where you are signed in',
      section: 'sessions-heading',
    };
  }
  return null;
}
