// The error catalogue: every code the server answers with, its HTTP status and its default
// sentence (docs/api.md "Errors"). The server builds its refusals from it (server/http/
// api-error.ts), the OpenAPI document lists its codes, and the User Center compares codes against
// its type, so a misspelt code fails the type check on both sides. Plain data: the page imports
// its type, and no schema library comes with it.
//
// A code keeps its meaning for good (docs/api.md "Errors"); the sentence may vary with what went
// wrong (server/http/api-error.ts builds those that name a value), and clients show it as it is.
import {
  BODY_LIMIT_BYTES,
  KEY_NAME_MAX_CHARACTERS,
  PASSWORD_MAX_CHARACTERS,
  PASSWORD_MIN_CHARACTERS,
} from './values.js';

export interface ErrorEntry {
  /** Every status the code is answered with; the first is the usual one. */
  readonly statuses: readonly [number, ...number[]];
  /** The sentence when the refusal names no value of its own. */
  readonly message: string;
}

export const ERRORS = {
  // The request itself
  invalid_request: {
    // 414: a path parameter longer than the router takes; any other 4xx the HTTP framework refuses
    // a request with keeps its status too.
    statuses: [400, 414],
    message: 'The request could not be read. Check its method, headers and body.',
  },
  duplicate_header: {
    statuses: [400],
    message: 'The request has more than one of a header that may come only once. Send it once.',
  },
  request_timeout: {
    statuses: [408],
    message: 'The request took too long to arrive, so the server stopped waiting. Send it again.',
  },
  headers_too_large: {
    statuses: [431],
    message: "The request's headers are too large. Clear this site's cookies, then try again.",
  },
  payload_too_large: { statuses: [413], message: `The request body is larger than ${BODY_LIMIT_BYTES / 1024} KiB.` },
  unsupported_media_type: {
    statuses: [415],
    message: 'Send the request body as JSON with Content-Type: application/json.',
  },
  misdirected_request: {
    statuses: [421],
    message: 'This server does not answer for that host name. Use the address Latchkey printed at start.',
  },
  origin_mismatch: {
    statuses: [403],
    message: 'This request came from a page that is not Latchkey. Open Latchkey itself and try again.',
  },
  unauthenticated: {
    statuses: [401],
    message: 'You are not signed in, or your session has ended. Sign in again.',
  },
  not_found: { statuses: [404], message: 'That item does not exist, or was already removed.' },

  // Accounts and passwords
  registration_closed: {
    statuses: [403],
    message: 'This server does not take new accounts. Ask your administrator for one.',
  },
  invalid_username: {
    statuses: [400],
    message: 'That username cannot be used. Choose one of letters and digits in one script.',
  },
  username_taken: { statuses: [409], message: 'That username is taken. Choose another one.' },
  weak_password: { statuses: [400], message: `Choose a password of at least ${PASSWORD_MIN_CHARACTERS} characters.` },
  password_too_long: { statuses: [400], message: `A password can be at most ${PASSWORD_MAX_CHARACTERS} characters.` },
  password_unchanged: {
    statuses: [400],
    message: 'The new password is the same as the current one. Choose a password you have not used here.',
  },
  malformed_password: {
    statuses: [400],
    message:
      'That password holds characters that are not valid text (a broken emoji or surrogate pair). Type it again, or choose another.',
  },

  // Signing in and confirming
  invalid_credentials: {
    statuses: [401],
    message: 'The username or password is not right. Check both and try again.',
  },
  invalid_password: {
    statuses: [401],
    message: 'That password is not right. Enter the password you sign in with.',
  },
  invalid_code: {
    statuses: [401],
    message: 'That code is not right or was already used. Enter the current code and try again.',
  },
  clock_drift: {
    // Only at TOTP enrolment; error.driftSeconds says how far off the phone's clock is.
    statuses: [401],
    message:
      "That code is from another time than now: your phone's clock is off. Turn on automatic date and time on your phone, then enter the new code.",
  },
  invalid_ticket: {
    statuses: [401],
    message: 'This sign-in has expired or had too many wrong codes. Sign in again with your password.',
  },
  invalid_credential: {
    // 400 while adding a key (the request was wrong), 401 while signing in.
    statuses: [401, 400],
    message: 'The security key’s answer could not be accepted. Try again with your key.',
  },
  too_many_attempts: {
    statuses: [429],
    message: 'Too many failed attempts. Wait for the time Retry-After gives, then try again.',
  },

  // Second factors
  totp_already_enabled: {
    statuses: [409],
    message: 'Authenticator-app codes are already on. Turn them off first to set up a new app.',
  },
  totp_not_enabled: {
    statuses: [409],
    message: 'Authenticator-app codes are not turned on for this account.',
  },
  no_pending_setup: {
    statuses: [409],
    message:
      'There is no set-up in progress, or it expired or had too many wrong codes. Start again with your password.',
  },
  two_factor_off: {
    statuses: [409],
    message: 'Backup codes exist only while two-factor authentication is on. Turn it on first.',
  },
  no_security_keys: {
    statuses: [409],
    message: 'This account has no security keys. Use a code from your authenticator app or a backup code.',
  },
  key_already_registered: {
    statuses: [409],
    message: 'This security key is already registered. Each key can be added once; use another key, or keep this one.',
  },
  invalid_name: {
    statuses: [400],
    message: `Give the security key a name of 1 to ${KEY_NAME_MAX_CHARACTERS} characters, for example “Office USB key”.`,
  },

  // The server
  server_busy: {
    statuses: [503],
    message: 'The server is checking too many sign-ins at once. Try again in a few seconds.',
  },
  storage_unavailable: {
    statuses: [503],
    message: 'The server could not save your change just now; nothing was changed. Try again in a moment.',
  },
  internal_error: {
    statuses: [500],
    message: 'Something went wrong on the server. Try again; if it keeps happening, tell your administrator.',
  },
} as const satisfies Record<string, ErrorEntry>;

export type ErrorCode = keyof typeof ERRORS;

/** Every code, in catalogue order. */
export const ERROR_CODES = Object.keys(ERRORS) as ErrorCode[];

/** The body of every refusal (docs/api.md "Errors"). */
export interface ErrorBody {
  error: {
    code: ErrorCode;
    message: string;
    /** clock_drift only: seconds the phone's clock is off; negative when it is behind. */
    driftSeconds?: number;
  };
}
