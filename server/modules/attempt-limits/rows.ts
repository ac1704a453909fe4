// The rows both backends return.
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
