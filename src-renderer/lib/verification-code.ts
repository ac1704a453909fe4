// The second sign-in step has one field. docs/api.md "POST /api/v1/session/backup-code": codes are
// accepted with spaces and dashes, and backup codes in any letter case; a TOTP code is six digits,
// a backup code ten letters and digits (two groups of five). Anything else is refused here, so that
// a typo does not cost one of the five attempts a sign-in ticket allows.

export type VerificationCode =
  { kind: 'totp'; code: string } | { kind: 'backup_code'; code: string } | { kind: 'invalid'; message: string };

export const CODE_FORMAT_MESSAGE =
  'Enter the 6-digit code from your authenticator app, or a backup code such as k7m2p-x9q4t.';

export function classifyVerificationCode(input: string): VerificationCode {
  const compact = input.replace(/[\s-]/g, '');
  if (/^\d{6}$/.test(compact)) return { kind: 'totp', code: compact };
  if (/^[a-z0-9]{10}$/i.test(compact)) {
    const lower = compact.toLowerCase();
    return { kind: 'backup_code', code: `${lower.slice(0, 5)}-${lower.slice(5)}` };
  }
  return { kind: 'invalid', message: CODE_FORMAT_MESSAGE };
}
