// Runs work for one key at a time, in arrival order. Password checks take ~20 ms of hashing
// outside any database transaction; without this, 200 parallel guesses at one account would all
// pass the limit check before the first failure was counted.
// (One process only: several server instances would need a lock in the shared database.)
export class KeyedMutex {
  private readonly tails = new Map<string, Promise<void>>();

  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const current = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => current);
    this.tails.set(key, tail);
    await previous;
    try {
      return await work();
    } finally {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}
