// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { classifyVerificationCode } from '../../../src-renderer/lib/verification-code.js';

describe('classifyVerificationCode', () => {
  it('sends six digits, with spaces or dashes, to TOTP', () => {
    expect(classifyVerificationCode('123456')).toEqual({ kind: 'totp', code: '123456' });
    expect(classifyVerificationCode(' 123 456 ')).toEqual({ kind: 'totp', code: '123456' });
    expect(classifyVerificationCode('123-456')).toEqual({ kind: 'totp', code: '123456' });
  });

  it('sends ten letters and digits, any case, to the backup-code endpoint in the canonical form', () => {
    expect(classifyVerificationCode('k7m2p-x9q4t')).toEqual({ kind: 'backup_code', code: 'k7m2p-x9q4t' });
    expect(classifyVerificationCode('K7M2P X9Q4T')).toEqual({ kind: 'backup_code', code: 'k7m2p-x9q4t' });
    expect(classifyVerificationCode('k7m2px9q4t')).toEqual({ kind: 'backup_code', code: 'k7m2p-x9q4t' });
    // Ten digits are a backup code too (they can be all digits), never a TOTP code.
    expect(classifyVerificationCode('1234567890')).toEqual({ kind: 'backup_code', code: '12345-67890' });
  });

  it("refuses anything else before it costs one of the ticket's attempts", () => {
    for (const input of ['', '12345', '1234567', 'abc', 'k7m2p-x9q4', 'k7m2p-x9q4t1', 'k7m2p_x9q4t', '１２３４５６']) {
      expect(classifyVerificationCode(input).kind, input).toBe('invalid');
    }
  });
});
