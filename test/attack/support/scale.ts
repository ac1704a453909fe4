// How hard the attack tests push. `npm test` runs the bounded CI level; `npm run test:nightly`
// sets LATCHKEY_ATTACK_LEVEL=nightly for many more rounds. Every random choice comes from one
// seed (LATCHKEY_ATTACK_SEED), printed on failure, so a failing run can be replayed exactly.
export const NIGHTLY = process.env.LATCHKEY_ATTACK_LEVEL === 'nightly';

export const SEED = Number(process.env.LATCHKEY_ATTACK_SEED ?? 20260115);

/** `ci` rounds under npm test, `nightly` rounds in the nightly run. */
export function scaled(ci: number, nightly: number): number {
  return NIGHTLY ? nightly : ci;
}

/** A small seeded generator (mulberry32): reproducible loops, not cryptography. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A whole number in [min, max]. */
export function between(random: () => number, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

/** fast-check parameters: seeded, bounded. */
export function fcParameters(numRuns: number, nightlyRuns = numRuns * 20) {
  return { seed: SEED, numRuns: scaled(numRuns, nightlyRuns) };
}

export function sleep(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}

/** A test's time limit: `ciMs` under npm test, twenty times that for the nightly rounds. */
export function timeLimit(ciMs: number): number {
  return NIGHTLY ? ciMs * 20 : ciMs;
}
