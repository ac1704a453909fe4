import { randomFillSync } from 'node:crypto';

/** Cryptographically secure randomness, passed in so tests can make it repeatable. */
export interface Random {
  bytes(length: number): Buffer;
}

// Each call into Node's CSPRNG costs a few microseconds whatever the size (about 3.5 µs for 32
// bytes, 5 µs for 4 KiB here), and a sign-in takes three small draws (a session token, its public
// id, an attempt reservation id). Like Node's own randomUUID(), which keeps a batch of random
// bytes for 128 UUIDs, small draws are served from a batch drawn at once: the same CSPRNG output,
// each byte handed out once, and zeroed in the batch as it is.
const BATCH_BYTES = 4096;
const LARGEST_FROM_BATCH = 256;
const batch = Buffer.alloc(BATCH_BYTES);
let next = BATCH_BYTES;

function randomBytesBatched(length: number): Buffer {
  if (length > LARGEST_FROM_BATCH) return randomFillSync(Buffer.alloc(length));
  if (next + length > BATCH_BYTES) {
    randomFillSync(batch);
    next = 0;
  }
  const drawn = Buffer.from(batch.subarray(next, next + length));
  batch.fill(0, next, next + length);
  next += length;
  return drawn;
}

export const systemRandom: Random = { bytes: randomBytesBatched };
