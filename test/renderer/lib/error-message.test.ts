// @vitest-environment happy-dom
import { AxiosError, AxiosHeaders } from 'axios';
import { describe, expect, it } from 'vitest';
import { ApiError, NETWORK_ERROR_MESSAGE, parseRetryAfter, toApiError } from '../../../src-renderer/api/api-error.js';
import { errorMessage } from '../../../src-renderer/lib/error-message.js';

function axiosError(status: number | null, data: unknown, headers: Record<string, string> = {}): AxiosError {
  const config = { headers: new AxiosHeaders() };
  const response =
    status === null
      ? undefined
      : { status, statusText: '', data, headers: new AxiosHeaders(headers), config, request: {} };
  return new AxiosError('failed', 'ERR', config, {}, response);
}

describe('ApiError from a failed call', () => {
  it("keeps the server's code and sentence (the error shape of docs/api.md) and Retry-After", () => {
    const error = toApiError(
      axiosError(
        429,
        { error: { code: 'too_many_attempts', message: 'Too many failed attempts.' } },
        { 'retry-after': '60' },
      ),
    );
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 429, code: 'too_many_attempts', message: 'Too many failed attempts.' });
    expect(error.retryAfterSeconds).toBe(60);
  });

  it('explains a network failure and a body that is not the API shape', () => {
    expect(toApiError(axiosError(null, undefined))).toMatchObject({
      status: 0,
      code: 'network_error',
      message: NETWORK_ERROR_MESSAGE,
    });
    expect(toApiError(axiosError(502, '<html>Bad gateway</html>'))).toMatchObject({
      status: 502,
      code: 'unexpected_response',
    });
    expect(toApiError(new TypeError('boom')).code).toBe('unexpected_error');
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-11-28T10:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120);
    expect(parseRetryAfter('Sat, 28 Nov 2026 10:01:30 GMT', now)).toBe(90);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter(undefined, now)).toBeNull();
  });
});

describe('errorMessage', () => {
  it('adds the clock time to try again for a 429', () => {
    const now = new Date(2026, 10, 28, 14, 5, 0);
    const locked = new ApiError(429, 'too_many_attempts', 'Too many failed attempts. Try again in 1 minute.', 60);
    expect(errorMessage(locked, now, 'en-GB')).toBe(
      'Too many failed attempts. Try again in 1 minute. You can try again at 14:06:00.',
    );
    const longer = new ApiError(429, 'too_many_attempts', 'Too many failed attempts. Try again in 2 hours.', 7200);
    expect(errorMessage(longer, now, 'en-GB')).toBe(
      'Too many failed attempts. Try again in 2 hours. You can try again at 16:05.',
    );
  });

  it("is the server's sentence otherwise", () => {
    expect(errorMessage(new ApiError(401, 'invalid_code', 'That code is not right.'))).toBe('That code is not right.');
  });
});

describe('a code refused for the phone’s clock', () => {
  const drift = (driftSeconds: unknown) =>
    errorMessage(
      toApiError(
        axiosError(401, { error: { code: 'clock_drift', message: "Your phone's clock is off.", driftSeconds } }),
      ),
    );

  it('says how far and which way: minutes rounded, seconds under a minute', () => {
    expect(drift(-180)).toBe(
      "Your phone's clock is about 3 minutes behind. Turn on automatic date and time on your phone, then enter the new code.",
    );
    expect(drift(150)).toMatch(/^Your phone's clock is about 3 minutes ahead\./);
    expect(drift(89)).toMatch(/about 1 minute ahead\./);
    expect(drift(-40)).toMatch(/about 40 seconds behind\./);
    expect(drift(1)).toMatch(/about 1 second ahead\./);
  });

  it("keeps the server's sentence when the offset is missing or not a number", () => {
    expect(drift(undefined)).toBe("Your phone's clock is off.");
    expect(drift('3 minutes')).toBe("Your phone's clock is off.");
  });
});
