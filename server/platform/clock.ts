/** Wall-clock time in Unix milliseconds, passed in so tests can move time (docs/architecture.md "server/"). */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
