// The keychain code against a real secret service: gnome-keyring in a private D-Bus session
// started for each case by support/with-keyring.sh (the D-Bus session address is per process,
// so each step runs keytar in its own child process, support/keychain-child.ts). Nothing here
// is faked except Electron's cookie store, which the child replaces with an in-memory one.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const HARNESS = join(ROOT, 'test', 'main', 'support', 'with-keyring.sh');
const CHILD = 'node --import tsx test/main/support/keychain-child.ts';

interface StepResult {
  step: string;
  keychain: { available: boolean; reason: string | null };
  keyDigest?: string;
  restored?: string;
  cookie?: string | null;
  persistentCookies?: number;
  stored?: string | null;
  error?: string;
}

async function inKeyring(mode: 'unlocked' | 'locked' | 'none', script: string): Promise<StepResult[]> {
  const { stdout } = await promisify(execFile)(HARNESS, [mode, 'sh', '-c', script], {
    cwd: ROOT,
    timeout: 60_000,
    env: { ...process.env, LATCHKEY_TEST_TOKEN: 'session-token-from-the-server' },
  });
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as StepResult);
}

describe('the OS keychain through keytar (gnome-keyring secret service)', () => {
  it('keeps the session and the server key across app restarts, and forgets the session at sign-out', async () => {
    const [first, reopened, signedOut, reopenedAfterSignOut] = await inKeyring(
      'unlocked',
      `${CHILD} first-run && ${CHILD} reopen && ${CHILD} sign-out && ${CHILD} reopen`,
    );
    expect(first).toMatchObject({ keychain: { available: true }, restored: 'none', persistentCookies: 0 });
    const saved = JSON.parse(first!.stored!) as { token: string; expires: number };
    expect(saved.token).toBe('session-token-from-the-server');
    expect(saved.expires).toBeGreaterThan(Date.now() / 1000 + 3500);

    expect(reopened).toMatchObject({
      restored: 'restored',
      cookie: 'session-token-from-the-server',
      persistentCookies: 0,
    });
    expect(JSON.parse(reopened!.stored!)).toEqual(saved);
    expect(reopened!.keyDigest).toMatch(/^[0-9a-f]{64}$/);
    expect(reopened!.keyDigest).toBe(first!.keyDigest);

    expect(signedOut).toMatchObject({ restored: 'restored', cookie: null, stored: null });
    expect(reopenedAfterSignOut).toMatchObject({ restored: 'none', cookie: null, keyDigest: first!.keyDigest });
  });

  it('detects a locked keyring at start: the app then works without staying signed in', async () => {
    const [first, afterLock] = await inKeyring(
      'unlocked',
      `${CHILD} first-run && ${HARNESS} --lock && ${CHILD} reopen`,
    );
    expect(first).toMatchObject({ keychain: { available: true } });
    expect(afterLock!.keychain.available).toBe(false);
    expect(afterLock!.keychain.reason).toMatch(/locked.*sign in each time.*Unlock the keychain/);
    expect(afterLock).not.toHaveProperty('restored');
  });

  it('detects a keyring locked from the start', async () => {
    const [probe] = await inKeyring('locked', `${CHILD} probe`);
    expect(probe!.keychain).toMatchObject({ available: false, reason: expect.stringMatching(/locked/) });
  });

  it('detects a session without any secret service', async () => {
    const [probe] = await inKeyring('none', `${CHILD} first-run`);
    expect(probe!.keychain.available).toBe(false);
    expect(probe!.keychain.reason).toMatch(/not available \(.*org\.freedesktop\.secrets.*\).*sign in each time/);
  });
});
