import { randomBytes } from 'node:crypto';

/** Cryptographically secure randomness, passed in so tests can make it repeatable. */
export interface Random {
  bytes(length: number): Buffer;
}

export const systemRandom: Random = { bytes: (length) => randomBytes(length) };
