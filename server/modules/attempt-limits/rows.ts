// The counter rows both backends return.
export interface AccountAttemptsRow {
  consecutive_failures: number;
  locked_until: number;
}

export interface AddressAttemptsRow {
  window_started_at: number;
  failures: number;
}
