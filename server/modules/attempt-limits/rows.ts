// The rows both backends return.
import type { UnstoredReservation } from './repository.js';

export interface AccountAttemptsRow {
  consecutive_failures: number;
  locked_until: number;
}

export interface AddressAttemptsRow {
  window_started_at: number;
  failures: number;
}

export interface ReservationRow {
  username_key: string | null;
  address: string | null;
  expires_at: number;
}

/**
 * An unstored reservation as the settles read a stored one: its keys, and held for as long as its
 * transaction lasts (repository.ts).
 */
export const unstoredReservationRow = (held: UnstoredReservation): ReservationRow => ({
  username_key: held.usernameKey,
  address: held.address,
  expires_at: Number.POSITIVE_INFINITY,
});
