// Security events (docs/api.md "Security event types") as a person reads them. Every type the
// contract names has its words here: a new type without them fails the type check.
import type { SecurityEventType } from '../../../api/types.js';
import { describeUserAgent } from '../../../lib/user-agent.js';

export const EVENT_LABELS: Record<SecurityEventType, string> = {
  account_created: 'Account created',
  signed_in: 'Signed in',
  sign_in_failed: 'Failed sign-in attempt',
  second_factor_failed: 'Wrong verification code',
  locked_out: 'Sign-in paused after too many attempts',
  totp_enabled: 'Two-factor authentication turned on',
  totp_disabled: 'Two-factor authentication turned off',
  backup_codes_generated: 'New backup codes generated',
  backup_code_used: 'Backup code used',
  security_key_added: 'Security key added',
  security_key_renamed: 'Security key renamed',
  security_key_removed: 'Security key removed',
  signed_out: 'Signed out',
  password_confirmation_failed: 'Wrong password when confirming a change',
  password_changed: 'Password changed',
  session_ended: 'Signed out of another session',
  other_sessions_ended: 'Signed out everywhere else',
  security_key_tested: 'Security key tested',
  // What an administrator did with `npm run admin`: worded so the person sees it was not them.
  two_factor_reset_by_admin: 'Two-factor authentication reset by an administrator',
  account_unlocked_by_admin: 'Sign-in unlocked by an administrator',
  sessions_ended_by_admin: 'Signed out everywhere by an administrator',
};

/** What an administrator did, not the person: the desktop app tells the person when one appears. */
export const BY_ADMINISTRATOR: ReadonlySet<string> = new Set<SecurityEventType>([
  'two_factor_reset_by_admin',
  'account_unlocked_by_admin',
  'sessions_ended_by_admin',
]);

/** Events a person should look at twice if they don't recognise them. */
const ATTENTION = new Set<string>([
  'sign_in_failed',
  'second_factor_failed',
  'locked_out',
  'totp_disabled',
  'password_confirmation_failed',
  'password_changed',
  ...(BY_ADMINISTRATOR as ReadonlySet<SecurityEventType>),
] satisfies SecurityEventType[]);

/** The words for a type; one this page does not know yet is spelled out from its name. */
export function eventLabel(type: string): string {
  if (Object.hasOwn(EVENT_LABELS, type)) return EVENT_LABELS[type as SecurityEventType];
  const words = type.replace(/_/g, ' ').trim();
  return words ? words.charAt(0).toUpperCase() + words.slice(1) : 'Unknown event';
}

export function needsAttention(type: string): boolean {
  return ATTENTION.has(type);
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

/** The address in words: this computer for loopback. */
export function describeAddress(ip: string | null): string {
  return ip === null ? 'an unknown address' : LOOPBACK.test(ip) ? `this computer (${ip})` : ip;
}

/** Who did it from where: an administrator, or the address (this computer for loopback) and the device. */
export function describeOrigin(event: { type: string; ip: string | null; userAgent: string | null }): string {
  return BY_ADMINISTRATOR.has(event.type)
    ? 'By an administrator, not from your account'
    : describePlace(event.ip, event.userAgent);
}

/** Where it happened: the address (this computer for loopback) and the device. */
export function describePlace(ip: string | null, userAgent: string | null): string {
  const address = describeAddress(ip);
  const device = describeUserAgent(userAgent);
  return device ? `${device}, from ${address}` : `From ${address}`;
}
