// The browser tests run against the built server and User Center: fail at once, with the fix,
// when the build is missing rather than in every test.
import { assertBuilt } from './latchkey-server.js';

export default function globalSetup(): void {
  assertBuilt();
}
