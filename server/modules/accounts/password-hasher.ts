// argon2id with OWASP's first recommended setting (m = 19 MiB, t = 2, p = 1), through
// @node-rs/argon2, which hashes on libuv's thread pool so the event loop stays free.
import { hash, verify } from '@node-rs/argon2';

// @node-rs/argon2's Algorithm is an ambient const enum; Argon2id is its value 2.
const ARGON2ID = 2;

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
  /** Spends the same time as verify() against a real hash: unknown users cost what known ones do. */
  verifyDummy(password: string): Promise<void>;
}

export const ARGON2ID_PARAMETERS = {
  algorithm: ARGON2ID,
  memoryCost: 19 * 1024,
  timeCost: 2,
  parallelism: 1,
} as const;

export async function createArgon2idHasher(): Promise<PasswordHasher> {
  const dummyHash = await hash('latchkey-dummy-password', ARGON2ID_PARAMETERS);
  return {
    hash: (password) => hash(password, ARGON2ID_PARAMETERS),
    verify: async (stored, password) => {
      try {
        return await verify(stored, password);
      } catch {
        return false;
      }
    },
    verifyDummy: async (password) => {
      await verify(dummyHash, password).catch(() => false);
    },
  };
}
