import { findFreePort } from '../../../src-main/server/free-port.js';

/** A free port within the range this test suite may use (4800–4849). */
export async function freePortBetween(from: number, to: number): Promise<number> {
  for (let port = from; port <= to; port += 1) {
    if ((await findFreePort(port)) === port) return port;
  }
  throw new Error(`No free port from ${from} to ${to}.`);
}
