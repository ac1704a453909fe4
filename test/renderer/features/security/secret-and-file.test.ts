// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import {
  BACKUP_CODES_FILE_NAME,
  backupCodesFileText,
} from '../../../../src-renderer/features/security/backup-codes/backup-codes-file.js';
import { groupSecret, qrImageSource } from '../../../../src-renderer/features/security/two-factor/secret-key.js';

describe('the secret key shown under "Can\'t scan it?"', () => {
  it('is grouped by four for reading and typing', () => {
    expect(groupSecret('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP')).toBe('JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP');
    expect(groupSecret('abcdefghij')).toBe('ABCD EFGH IJ');
    expect(groupSecret('')).toBe('');
  });
});

describe('the QR code image', () => {
  it('is the server SVG as a data: URL for an <img>, never markup in the page', () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><path d="M0 0h1v1H0z"/></svg>';
    const source = qrImageSource(svg);
    expect(source).toMatch(/^data:image\/svg\+xml;charset=utf-8,/);
    expect(decodeURIComponent(source?.split(',')[1] ?? '')).toBe(svg);
    expect(source).not.toContain('<');
  });

  it('is refused when the server sent something that is not an SVG', () => {
    expect(qrImageSource('<script>alert(1)</script>')).toBeNull();
    expect(qrImageSource('')).toBeNull();
  });
});

describe('the backup-codes file', () => {
  it('holds the account, the date, the codes and how to use them', () => {
    const codes = Array.from({ length: 10 }, (_, index) => `abcd${index}-efgh${index}`);
    const text = backupCodesFileText({
      username: 'alice',
      codes,
      createdAt: new Date(2026, 10, 28, 9, 30),
      origin: 'http://localhost:4680',
    });
    expect(BACKUP_CODES_FILE_NAME).toBe('latchkey-backup-codes.txt');
    expect(text).toContain('Account: alice');
    expect(text).toContain('Server: http://localhost:4680');
    expect(text).toContain('Created: 2026-11-28');
    for (const [index, code] of codes.entries()) expect(text).toContain(`${String(index + 1).padStart(2)}. ${code}`);
    const howTo = text.split('\n').filter((line) => /once/.test(line));
    expect(howTo).toHaveLength(1);
    expect(howTo[0]).toMatch(/instead/);
    expect(text.endsWith('\n')).toBe(true);
  });
});
