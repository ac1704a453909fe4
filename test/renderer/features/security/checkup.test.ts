import { describe, expect, it } from 'vitest';
import type { TwoFactorStatus } from '../../../../src-renderer/api/types.js';
import { securityCheckup } from '../../../../src-renderer/features/security/checkup/checkup.js';

const off: TwoFactorStatus = { enabled: false, totp: false, securityKeys: 0, backupCodesRemaining: 0 };
const appOnly: TwoFactorStatus = { enabled: true, totp: true, securityKeys: 0, backupCodesRemaining: 10 };
const appAndKey: TwoFactorStatus = { enabled: true, totp: true, securityKeys: 1, backupCodesRemaining: 10 };

describe('security checkup', () => {
  it('puts turning on two-factor before anything else, whatever the sessions', () => {
    const { lines, next } = securityCheckup(off, 4);
    expect(next?.kind).toBe('turn_on_two_factor');
    expect(lines).toEqual([
      'Two-factor authentication is off: your password alone signs you in.',
      'You are signed in here and in 4 other places.',
    ]);
  });

  it('asks for a second factor while one lost phone or key would lock the person out', () => {
    expect(securityCheckup({ ...appOnly, backupCodesRemaining: 0 }, 2).next).toMatchObject({
      kind: 'add_second_factor',
      section: 'security-keys-heading',
    });
    expect(securityCheckup({ ...off, enabled: true, securityKeys: 1, backupCodesRemaining: 10 }, 0).next).toMatchObject(
      { kind: 'add_second_factor', section: 'two-factor-heading' },
    );
  });

  it('asks for new backup codes at three or fewer, then for a look at other sessions', () => {
    expect(securityCheckup({ ...appAndKey, backupCodesRemaining: 4 }, 0).next).toBeNull();
    expect(securityCheckup({ ...appAndKey, backupCodesRemaining: 3 }, 1).next?.kind).toBe('new_backup_codes');
    expect(securityCheckup({ ...appAndKey, backupCodesRemaining: 1 }, null).lines).toContain('1 backup code left.');
    expect(securityCheckup(appAndKey, 1).next?.kind).toBe('review_sessions');
    expect(securityCheckup(appAndKey, 1).lines).toContain('You are signed in here and in 1 other place.');
    expect(securityCheckup(appAndKey, 0).lines).toContain('You are signed in only here.');
    // Sessions not known yet: no claim about them and no step.
    expect(securityCheckup(appAndKey, null).next).toBeNull();
  });
});
