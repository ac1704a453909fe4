// WebAuthn per OS, with stand-ins for Electron's app and session (the Electron runtime, and
// macOS, are not available here).
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import {
  configurePlatformAuthenticator,
  handleAccountSelection,
  keychainAccessGroup,
  parseKeychainAccessGroups,
  parseTeamIdentifier,
  type AccountSelectionSession,
} from '../../../src-main/webauthn/webauthn.js';
import { touchIdEntitlements } from '../../../scripts/package-plan.mjs';
import { APP_ID } from '../../../src-main/app/identity.js';

describe('configurePlatformAuthenticator', () => {
  it('turns on Touch ID on a signed macOS build with the team keychain access group', () => {
    const app = { configureWebAuthn: vi.fn() };
    const result = configurePlatformAuthenticator('darwin', app, { teamId: 'ABCDE12345', bundleId: APP_ID });
    expect(result).toEqual({ enabled: true, keychainAccessGroup: `ABCDE12345.${APP_ID}.webauthn` });
    expect(app.configureWebAuthn).toHaveBeenCalledWith({
      touchID: { keychainAccessGroup: `ABCDE12345.${APP_ID}.webauthn`, promptReason: expect.stringContaining('$1') },
    });
  });

  it('leaves Windows and Linux to the OS and Chromium', () => {
    const app = { configureWebAuthn: vi.fn() };
    expect(configurePlatformAuthenticator('win32', app, { teamId: 'ABCDE12345', bundleId: APP_ID }).enabled).toBe(
      false,
    );
    expect(configurePlatformAuthenticator('linux', app, { teamId: 'ABCDE12345', bundleId: APP_ID }).enabled).toBe(
      false,
    );
    expect(app.configureWebAuthn).not.toHaveBeenCalled();
  });

  it('explains why Touch ID is off on an unsigned build or an Electron without the API', () => {
    const app = { configureWebAuthn: vi.fn() };
    expect(configurePlatformAuthenticator('darwin', app, { teamId: null, bundleId: APP_ID })).toMatchObject({
      enabled: false,
      reason: expect.stringMatching(/not signed/),
    });
    expect(configurePlatformAuthenticator('darwin', {}, { teamId: 'ABCDE12345', bundleId: APP_ID })).toMatchObject({
      enabled: false,
      reason: expect.stringMatching(/configureWebAuthn/),
    });
    expect(app.configureWebAuthn).not.toHaveBeenCalled();
  });

  it('matches the entitlement the installer signs with', () => {
    expect(keychainAccessGroup('TEAM_ID', APP_ID)).toBe('TEAM_ID.org.latchkey.desktop.webauthn');
  });
});

describe('parseKeychainAccessGroups', () => {
  const ROOT = join(import.meta.dirname, '..', '..', '..');
  const entitlements = (name: string) => readFileSync(join(ROOT, 'packaging', name), 'utf8');

  it('finds the group in the entitlements a build with a provisioning profile is signed with', () => {
    const signed = touchIdEntitlements(entitlements('entitlements.mac.touch-id.plist'), 'ABCDE12345');
    expect(parseKeychainAccessGroups(signed)).toEqual([keychainAccessGroup('ABCDE12345', APP_ID)]);
  });

  it('finds none in the default entitlements, or in a signature without any', () => {
    expect(parseKeychainAccessGroups(entitlements('entitlements.mac.plist'))).toEqual([]);
    expect(parseKeychainAccessGroups('')).toEqual([]);
  });
});

describe('parseTeamIdentifier', () => {
  it('reads the team from codesign output', () => {
    const output =
      'Executable=/Applications/Latchkey.app/Contents/MacOS/Latchkey\nIdentifier=org.latchkey.desktop\nTeamIdentifier=ABCDE12345\n';
    expect(parseTeamIdentifier(output)).toBe('ABCDE12345');
    expect(parseTeamIdentifier('Signature=adhoc\nTeamIdentifier=not set\n')).toBeNull();
    expect(parseTeamIdentifier('code object is not signed at all')).toBeNull();
  });
});

describe("handleAccountSelection ('select-webauthn-account')", () => {
  const ORIGIN = 'http://localhost:4812';
  const accounts = [
    { credentialId: 'a', name: 'alice' },
    { credentialId: 'b', name: 'bob' },
  ];

  function select(
    details: { accounts: typeof accounts; frameUrl: string | null },
    choose: () => Promise<string | null>,
  ) {
    const session = new EventEmitter();
    handleAccountSelection(session as unknown as AccountSelectionSession, () => ORIGIN, choose);
    const callback = vi.fn();
    const event = { preventDefault: vi.fn() };
    session.emit(
      'select-webauthn-account',
      event,
      {
        relyingPartyId: 'localhost',
        accounts: details.accounts,
        frame: details.frameUrl ? { url: details.frameUrl } : null,
      },
      callback,
    );
    return { callback, event };
  }

  it('answers with the only account without asking', () => {
    const choose = vi.fn(async () => 'b');
    const { callback, event } = select({ accounts: [accounts[0]!], frameUrl: `${ORIGIN}/` }, choose);
    expect(event.preventDefault).toHaveBeenCalled();
    expect(callback).toHaveBeenCalledWith('a');
    expect(choose).not.toHaveBeenCalled();
  });

  it("asks when there are several and answers once with the person's pick", async () => {
    const { callback } = select({ accounts, frameUrl: `${ORIGIN}/` }, async () => 'b');
    await vi.waitFor(() => expect(callback).toHaveBeenCalledWith('b'));
    expect(callback).toHaveBeenCalledTimes(1);
  });

  it('cancels a pick that is not one of the accounts, a failing picker, and foreign frames', async () => {
    const bogus = select({ accounts, frameUrl: `${ORIGIN}/` }, async () => 'zzz');
    await vi.waitFor(() => expect(bogus.callback).toHaveBeenCalledWith(null));
    const failing = select({ accounts, frameUrl: `${ORIGIN}/` }, async () => {
      throw new Error('dialog failed');
    });
    await vi.waitFor(() => expect(failing.callback).toHaveBeenCalledWith(null));
    expect(select({ accounts, frameUrl: 'https://evil.example/' }, async () => 'a').callback).toHaveBeenCalledWith(
      null,
    );
    expect(select({ accounts, frameUrl: null }, async () => 'a').callback).toHaveBeenCalledWith(null);
  });
});
