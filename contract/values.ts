// The values the HTTP API names (docs/api.md "Values"), as plain constants: the server, the
// desktop app and the User Center import them, and the page gets no schema library with them.
// Schemas built from these live in api/ (`as const` JSON Schema, types derived by json-schema-to-ts).

/** What the account's activity list records (docs/api.md "Security event types"). */
export const SECURITY_EVENT_TYPES = [
  'account_created',
  'signed_in',
  'sign_in_failed',
  'second_factor_failed',
  'locked_out',
  'totp_enabled',
  'totp_disabled',
  'backup_codes_generated',
  'backup_code_used',
  'security_key_added',
  'security_key_renamed',
  'security_key_removed',
  'signed_out',
  'password_confirmation_failed',
  // docs/api.md "Security event types": the person's own changes to password and sessions
  'password_changed',
  'session_ended',
  'other_sessions_ended',
  'security_key_tested',
  // what an administrator did with the administration commands (docs/deployment.md)
  'two_factor_reset_by_admin',
  'account_unlocked_by_admin',
  'sessions_ended_by_admin',
] as const;

export type SecurityEventType = (typeof SECURITY_EVENT_TYPES)[number];

/** What a `second_factor_required` answer may offer (docs/api.md "Two-factor"). */
export const SECOND_FACTOR_METHODS = ['totp', 'backup_code', 'security_key'] as const;

export type SecondFactorMethod = (typeof SECOND_FACTOR_METHODS)[number];

/** How a session was signed in, as the session list shows it (docs/api.md "GET /api/v1/me/sessions"). */
export const SIGN_IN_METHODS = ['password', 'totp', 'backup_code', 'security_key', 'passkey'] as const;

export type SignInMethod = (typeof SIGN_IN_METHODS)[number];

/**
 * How far from now a code at TOTP enrolment is still recognised as the phone's clock being off
 * (`clock_drift`, docs/api.md "POST /api/v1/me/totp/enable"): ten minutes either side.
 */
export const CLOCK_DRIFT_MAX_SECONDS = 10 * 60;

/** What kind of authenticator a security key is, as the server recorded it at registration. */
export const SECURITY_KEY_TYPES = ['usb', 'platform', 'other'] as const;

export type SecurityKeyType = (typeof SECURITY_KEY_TYPES)[number];

/**
 * The person's choice when adding a key: "cross-platform" for a USB security key, "platform" for
 * the device's built-in authenticator (WebAuthn L3 §5.4.5 AuthenticatorAttachment).
 */
export const KEY_ATTACHMENTS = ['cross-platform', 'platform'] as const;

export type KeyAttachment = (typeof KEY_ATTACHMENTS)[number];

/** Characters of a username, counted after normalisation (SECURITY.md "Look-alike names"). */
export const USERNAME_MIN_CHARACTERS = 3;
export const USERNAME_MAX_CHARACTERS = 64;

/** Characters of a password after NFC normalisation, never truncated (docs/api.md "Passwords"). */
export const PASSWORD_MIN_CHARACTERS = 8;
export const PASSWORD_MAX_CHARACTERS = 128;

/** Characters of a security key's name after trimming. */
export const KEY_NAME_MAX_CHARACTERS = 64;

/** How many backup codes a set holds (docs/api.md "Backup codes"). */
export const BACKUP_CODE_COUNT = 10;

/** The largest request body the server reads (docs/api.md "Bodies"). */
export const BODY_LIMIT_BYTES = 64 * 1024;

/** The session cookie a sign-in sets (docs/api.md "Session"). */
export const SESSION_COOKIE = 'latchkey_session';
