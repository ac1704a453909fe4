// Every failure of an API call reaches the UI as one ApiError: the server's code and sentence
// (docs/api.md "Errors": {"error":{"code","message"}}), the HTTP status, and for 429 the
// Retry-After seconds.
import { isAxiosError } from 'axios';
import type { CeremonyErrorCode } from '../platform/webauthn.js';
import type { ErrorBody, ErrorCode } from './types.js';

/** Codes of failures the page finds itself, before or without an answer from the server. */
export type ClientErrorCode =
  | 'network_error'
  | 'unexpected_response'
  | 'unexpected_error'
  | 'invalid_code_format'
  | 'no_platform_authenticator'
  | CeremonyErrorCode;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    /** The server's code (the error catalogue, contract/errors.ts) or one of the page's own. */
    readonly code: ErrorCode | ClientErrorCode,
    message: string,
    /** Seconds from Retry-After (429, 503), or null. */
    readonly retryAfterSeconds: number | null = null,
    /** `clock_drift` only: how far the phone's clock is off, negative when behind; else null. */
    readonly driftSeconds: number | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** Any thrown value as an ApiError (axios errors keep the server's code and sentence). */
  static from(error: unknown): ApiError {
    return toApiError(error);
  }
}

export const NETWORK_ERROR_MESSAGE =
  "Latchkey's server can't be reached. Check that it is running and your connection works, then try again.";

const UNEXPECTED_MESSAGE = 'Something went wrong on the server. Try again in a moment.';

function isErrorBody(data: unknown): data is ErrorBody {
  if (typeof data !== 'object' || data === null || !('error' in data)) return false;
  const error = (data as { error: unknown }).error;
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { code?: unknown }).code === 'string' &&
    typeof (error as { message?: unknown }).message === 'string'
  );
}

/** Retry-After is either seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: unknown, nowMs: number = Date.now()): number | null {
  if (typeof value !== 'string' || value.trim() === '') return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - nowMs) / 1000));
}

export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (isAxiosError(error)) {
    const response = error.response;
    if (!response) return new ApiError(0, 'network_error', NETWORK_ERROR_MESSAGE);
    const retryAfter = parseRetryAfter(response.headers?.['retry-after']);
    if (isErrorBody(response.data)) {
      const { code, message, driftSeconds } = response.data.error;
      const drift = typeof driftSeconds === 'number' && Number.isFinite(driftSeconds) ? driftSeconds : null;
      return new ApiError(response.status, code, message, retryAfter, drift);
    }
    return new ApiError(response.status, 'unexpected_response', UNEXPECTED_MESSAGE, retryAfter);
  }
  return new ApiError(0, 'unexpected_error', UNEXPECTED_MESSAGE);
}
