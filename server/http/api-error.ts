// Every refusal the API gives: an HTTP status, a stable snake_case code from the error catalogue
// (contract/errors.ts, docs/api.md "Errors"), and a sentence a person can act on.
import { ERRORS, type ErrorCode } from '../../contract/errors.js';

export { ERROR_CODES, type ErrorBody, type ErrorCode } from '../../contract/errors.js';

export class ApiError extends Error {
  constructor(
    /** One of the catalogue's statuses for the code (test/server/http/error-catalogue.test.ts). */
    readonly statusCode: number,
    readonly code: ErrorCode,
    /** By default the catalogue's sentence for the code. */
    message: string = ERRORS[code].message,
    /** Seconds, sent as Retry-After (429 and 503). */
    readonly retryAfterSeconds?: number,
    /** Fields the error object carries besides code and message (clock_drift: driftSeconds). */
    readonly details?: { driftSeconds: number },
  ) {
    super(message);
  }
}

/** The refusals several modules give; a sentence that names a value is built here. */
export const errors = {
  invalidRequest: (message: string) => new ApiError(400, 'invalid_request', message),
  invalidCredentials: () => new ApiError(401, 'invalid_credentials'),
  invalidPassword: () => new ApiError(401, 'invalid_password'),
  invalidCode: () => new ApiError(401, 'invalid_code'),
  invalidTicket: () => new ApiError(401, 'invalid_ticket'),
  malformedPassword: () => new ApiError(400, 'malformed_password'),
  unauthenticated: () => new ApiError(401, 'unauthenticated'),
  tooManyAttempts: (retryAfterSeconds: number) =>
    new ApiError(
      429,
      'too_many_attempts',
      `Too many failed attempts. Try again in ${describeWait(retryAfterSeconds)}.`,
      retryAfterSeconds,
    ),
  serverBusy: (retryAfterSeconds: number) => new ApiError(503, 'server_busy', undefined, retryAfterSeconds),
  /** A judgement whose reservation expired before it was settled is not shown (SECURITY.md). */
  judgementExpired: () =>
    new ApiError(
      503,
      'server_busy',
      'The server took too long to check this, so nothing was decided. Try again in a few seconds.',
      5,
    ),
  originMismatch: () => new ApiError(403, 'origin_mismatch'),
  misdirected: () => new ApiError(421, 'misdirected_request'),
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
  requestTimeout: () => new ApiError(408, 'request_timeout'),
  headersTooLarge: () => new ApiError(431, 'headers_too_large'),
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
  storageUnavailable: () => new ApiError(503, 'storage_unavailable', undefined, 5),
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
