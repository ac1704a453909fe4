import { ApiError } from '../api/api-error.js';
import { formatTime } from './time.js';

/**
 * The sentence to show for a failed call. The server's sentence already says what to do; a 429
 * also gets the clock time when trying again makes sense (from Retry-After).
 */
export function errorMessage(error: unknown, now: Date = new Date(), locale?: string): string {
  const apiError = ApiError.from(error);
  if (apiError.status === 429 && apiError.retryAfterSeconds !== null) {
    const at = new Date(now.getTime() + apiError.retryAfterSeconds * 1000);
    const withSeconds = apiError.retryAfterSeconds < 120;
    return `${apiError.message} You can try again at ${formatTime(at, locale, withSeconds)}.`;
  }
  return apiError.message;
}
