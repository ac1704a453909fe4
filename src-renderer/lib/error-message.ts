import { ApiError } from '../api/api-error.js';
import { formatTime } from './time.js';

/**
 * "about 3 minutes behind", "about 40 seconds ahead": whole minutes from a minute on, seconds under
 * it (docs/api.md "POST /api/v1/me/totp/enable": negative is behind).
 */
export function clockDriftWords(driftSeconds: number): string {
  const seconds = Math.abs(Math.round(driftSeconds));
  const direction = driftSeconds < 0 ? 'behind' : 'ahead';
  if (seconds < 60) return `about ${seconds} ${seconds === 1 ? 'second' : 'seconds'} ${direction}`;
  const minutes = Math.round(seconds / 60);
  return `about ${minutes} ${minutes === 1 ? 'minute' : 'minutes'} ${direction}`;
}

/**
 * The sentence to show for a failed call. The server's sentence already says what to do; a 429
 * also gets the clock time when trying again makes sense (from Retry-After), and a code refused
 * for the phone's clock says by how much and which way.
 */
export function errorMessage(error: unknown, now: Date = new Date(), locale?: string): string {
  const apiError = ApiError.from(error);
  if (apiError.code === 'clock_drift' && apiError.driftSeconds !== null) {
    return `Your phone's clock is ${clockDriftWords(apiError.driftSeconds)}. Turn on automatic date and time on your phone, then enter the new code.`;
  }
  if (apiError.status === 429 && apiError.retryAfterSeconds !== null) {
    const at = new Date(now.getTime() + apiError.retryAfterSeconds * 1000);
    const withSeconds = apiError.retryAfterSeconds < 120;
    return `${apiError.message} You can try again at ${formatTime(at, locale, withSeconds)}.`;
  }
  return apiError.message;
}
