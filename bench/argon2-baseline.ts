// The password row's baseline: argon2id verification alone, with the server's parameters
// (m = 19 MiB, t = 2, p = 1), through the same library and the same libuv thread pool size, with as
// many verifications in flight as the load has connections. Prints one JSON line per run.
// Usage: node --import tsx bench/argon2-baseline.ts '{"warmupSeconds":1,"runSeconds":3,"runs":5,"concurrency":10}'
import { hash, verify } from '@node-rs/argon2';
import { ARGON2ID_PARAMETERS } from '../server/modules/accounts/password-hasher.js';
import { printRuns } from './lib/loop.js';
import { BENCH_PASSWORD } from './lib/population.js';

const options = JSON.parse(process.argv[2] ?? '') as Parameters<typeof printRuns>[1];
const stored = await hash(BENCH_PASSWORD, ARGON2ID_PARAMETERS);
await printRuns(() => verify(stored, BENCH_PASSWORD), options);
