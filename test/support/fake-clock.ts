import type { Clock } from '../../server/platform/clock.js';

/** A clock the test moves by hand (docs/architecture.md "server/": the clock is passed in, so tests can move time). */
export class FakeClock implements Clock {
  constructor(private current = Date.UTC(2026, 0, 15, 9, 0, 0)) {}

  now(): number {
    return this.current;
  }

  advance(milliseconds: number): void {
    this.current += milliseconds;
  }

  advanceSeconds(seconds: number): void {
    this.advance(seconds * 1000);
  }
}
