import { describe, expect, it } from 'vitest';
import {
  BACKUP_CODE_ALPHABET,
  newBackupCode,
  normalizeBackupCode,
} from '../../../../server/modules/backup-codes/backup-code-format.js';
import { systemRandom } from '../../../../server/platform/random.js';

describe('backup code format', () => {
  it('draws from 32 unambiguous symbols, so ten symbols carry 50 bits', () => {
    expect(new Set(BACKUP_CODE_ALPHABET).size).toBe(32);
    expect(BACKUP_CODE_ALPHABET).not.toMatch(/[lo01A-Z]/);
    expect(10 * Math.log2(BACKUP_CODE_ALPHABET.length)).toBeGreaterThanOrEqual(50);
  });

  it('shows codes as two groups of five joined by a dash', () => {
    for (let index = 0; index < 200; index += 1) {
      expect(newBackupCode(systemRandom)).toMatch(/^[a-z2-9]{5}-[a-z2-9]{5}$/);
    }
  });

  it('uses every symbol of the alphabet (no modulo bias leaves one out)', () => {
    const seen = new Set<string>();
    for (let index = 0; index < 500; index += 1) for (const symbol of newBackupCode(systemRandom)) seen.add(symbol);
    seen.delete('-');
    expect(seen.size).toBe(32);
  });

  it('accepts any letter case, spaces and dashes', () => {
    expect(normalizeBackupCode('K7M2P-X9Q4T')).toBe('k7m2px9q4t');
    expect(normalizeBackupCode('  k7m2p x9q4t ')).toBe('k7m2px9q4t');
    expect(normalizeBackupCode('k7-m2-p-x9-q4-t')).toBe('k7m2px9q4t');
    expect(normalizeBackupCode('k7m2p-x9q4')).toBeNull();
    expect(normalizeBackupCode('k7m2p-x9q4t!')).toBeNull();
  });
});
