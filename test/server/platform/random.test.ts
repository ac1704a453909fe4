// server/platform/random.ts serves small draws from a batch of CSPRNG output. What must hold: each
// draw has the length asked for, no byte is handed out twice, draws do not share memory, and a
// draw that crosses the batch's end comes whole from fresh output.
import { describe, expect, it } from 'vitest';
import { systemRandom } from '../../../server/platform/random.js';

describe('systemRandom', () => {
  it('gives each length asked for, small (from the batch) and large (drawn on its own)', () => {
    for (const length of [0, 1, 12, 16, 32, 255, 256, 257, 4096, 10_000]) {
      expect(systemRandom.bytes(length)).toHaveLength(length);
    }
  });

  it('never hands out the same bytes twice, across many refills of the batch', () => {
    const seen = new Set<string>();
    // 20,000 draws of 16 bytes: 320 kB, about 80 batches, with draws of odd sizes between so that
    // draws straddle the batch's end.
    for (let index = 0; index < 20_000; index += 1) {
      const drawn = systemRandom.bytes(16).toString('hex');
      expect(seen.has(drawn)).toBe(false);
      seen.add(drawn);
      if (index % 97 === 0) systemRandom.bytes(7);
    }
  });

  it('returns buffers of their own: changing one changes no other draw', () => {
    const first = systemRandom.bytes(32);
    const second = systemRandom.bytes(32);
    const secondCopy = Buffer.from(second);
    first.fill(0xff);
    expect(second.equals(secondCopy)).toBe(true);
    expect(first.buffer === second.buffer && first.byteOffset + 32 > second.byteOffset).toBe(false);
  });

  it('looks uniformly random: about half the bits set over 1 MB of draws', () => {
    let ones = 0;
    let bits = 0;
    for (let index = 0; index < 32_768; index += 1) {
      for (const byte of systemRandom.bytes(32)) {
        ones += popcount(byte);
        bits += 8;
      }
    }
    // 8 Mbit: the standard deviation of the share is about 0.00017, so ±0.005 is ~30σ.
    expect(Math.abs(ones / bits - 0.5)).toBeLessThan(0.005);
  });
});

function popcount(byte: number): number {
  let count = 0;
  for (let value = byte; value > 0; value >>= 1) count += value & 1;
  return count;
}
