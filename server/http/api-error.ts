// Every refusal the API gives: an HTTP status, a stable snake_case code (API.md), and a
// sentence a person can act on.

/** Every error code the API answers with (API.md); the OpenAPI document lists them. */
export const ERROR_CODES = [
  'invalid_request',
  'duplicate_header',
  'request_timeout',
  'headers_too_large',
  'payload_too_large',
  'unsupported_media_type',
  'misdirected_request',
  'origin_mismatch',
  'unauthenticated',
  'not_found',
  'registration_closed',
  'invalid_username',
  'username_taken',
  'weak_password',
  'password_too_long',
  'malformed_password',
  'invalid_credentials',
  'invalid_password',
  'invalid_code',
  'invalid_ticket',
  'invalid_credential',
  'too_many_attempts',
  'totp_already_enabled',
  'totp_not_enabled',
  'no_pending_setup',
  'two_factor_off',
  'no_security_keys',
  'key_already_registered',
  'invalid_name',
  'server_busy',
  'storage_unavailable',
  'internal_error',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: ErrorCode,
    message: string,
    /** Seconds, sent as Retry-After (429 and 503). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

export interface ErrorBody {
  error: { code: ErrorCode; message: string };
}

export const errors = {
  invalidRequest: (message: string) => new ApiError(400, 'invalid_request', message),
  invalidCredentials: () =>
    new ApiError(401, 'invalid_credentials', 'The username or password is not right. Check both and try again.'),
  invalidPassword: () =>
    new ApiError(401, 'invalid_password', 'That password is not right. Enter the password you sign in with.'),
  invalidCode: () =>
    new ApiError(
      401,
      'invalid_code',
      'That code is not right or was already used. Enter the current code and try again.',
    ),
  invalidTicket: () =>
    new ApiError(
      401,
      'invalid_ticket',
      'This sign-in has expired or had too many wrong codes. Sign in again with your password.',
    ),
  malformedPassword: () =>
    new ApiError(
      400,
      'malformed_password',
      'That password holds characters that are not valid text (a broken emoji or surrogate pair). Type it again, or choose another.',
    ),
  unauthenticated: () =>
    new ApiError(401, 'unauthenticated', 'You are not signed in, or your session has ended. Sign in again.'),
  tooManyAttempts: (retryAfterSeconds: number) =>
    new ApiError(
      429,
      'too_many_attempts',
      `Too many failed attempts. Try again in ${describeWait(retryAfterSeconds)}.`,
      retryAfterSeconds,
    ),
  serverBusy: (retryAfterSeconds: number) =>
    new ApiError(
      503,
      'server_busy',
      'The server is checking too many sign-ins at once. Try again in a few seconds.',
      retryAfterSeconds,
    ),
  /** A judgement whose reservation expired before it was settled is not shown (SECURITY.md). */
  judgementExpired: () =>
    new ApiError(
      503,
      'server_busy',
      'The server took too long to check this, so nothing was decided. Try again in a few seconds.',
      5,
    ),
  originMismatch: () =>
    new ApiError(
      403,
      'origin_mismatch',
      'This request came from a page that is not Latchkey. Open Latchkey itself and try again.',
    ),
  misdirected: () =>
    new ApiError(
      421,
      'misdirected_request',
      'This server does not answer for that host name. Use the address Latchkey printed at start.',
    ),
  usernameLooksTaken: () =>
    new ApiError(
      409,
      'username_taken',
      'That username looks the same as one already taken (letters that look alike count as one). Choose another one.',
    ),
  duplicateHeader: (name: string) =>
    new ApiError(
      400,
      'duplicate_header',
      `The request has more than one ${name} header, and may have only one. Send it once.`,
    ),
  missingHost: () =>
    new ApiError(400, 'invalid_request', 'The request has no Host header. Send the address of this server in it.'),
  requestTimeout: () =>
    new ApiError(
      408,
      'request_timeout',
      'The request took too long to arrive, so the server stopped waiting. Send it again.',
    ),
  headersTooLarge: () =>
    new ApiError(
      431,
      'headers_too_large',
      "The request's headers are too large. Clear this site's cookies, then try again.",
    ),
  malformedHttp: () =>
    new ApiError(
      400,
      'invalid_request',
      'The request is not well-formed HTTP, so the server could not read it. Check the client that sent it.',
    ),
  hiddenCharacterInName: (character: string) =>
    new ApiError(
      400,
      'invalid_name',
      `A key name cannot hold invisible or direction-changing characters, and this one holds ${codePointLabel(character)}. Remove it, or type the name again.`,
    ),
  notFound: (what = 'That item') => new ApiError(404, 'not_found', `${what} does not exist, or was already removed.`),
  storageUnavailable: () =>
    new ApiError(
      503,
      'storage_unavailable',
      'The server could not save your change just now; nothing was changed. Try again in a moment.',
      5,
    ),
};

export function describeWait(seconds: number): string {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 120) return `${minutes} minute${minutes === 1 ? '' : 's'}`;
  return `${Math.ceil(minutes / 60)} hours`;
}

/** "U+3164": how a person can look a character up, when it cannot be shown. */
export function codePointLabel(character: string): string {
  return `U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}
