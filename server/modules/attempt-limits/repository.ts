export interface AccountAttempts {
  consecutiveFailures: number;
  /** Unix ms; sign-in answers 429 until then. */
  lockedUntil: number;
}

export interface AddressAttempts {
  windowStartedAt: number;
  failures: number;
}

/** Failure counters, kept in the database so that a restart forgets nothing. */
export interface AttemptLimitRepository {
  getAccount(usernameKey: string): Promise<AccountAttempts | null>;
  /** Atomically adds one failure and stores the lock that `lockUntil` computes for the new count. */
  addAccountFailure(
    usernameKey: string,
    now: number,
    lockUntil: (failures: number) => number,
  ): Promise<AccountAttempts>;
  resetAccount(usernameKey: string): Promise<void>;
  getAddress(address: string): Promise<AddressAttempts | null>;
  /** Atomically adds one failure, starting a new window when the current one is over. */
  addAddressFailure(address: string, now: number, windowMs: number): Promise<AddressAttempts>;
}
