// @vitest-environment happy-dom
// The store's slices against the real server (in process, fake clock): sign-in with each factor,
// the enrolment that holds and then drops the TOTP secret and the codes, ended sessions.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAppStore, type AppStore } from '../../../src-renderer/store/app-store.js';
import { SESSION_ENDED_MESSAGE, SIGNED_OUT_MESSAGE } from '../../../src-renderer/store/session-slice.js';
import { PASSWORD, startTestServer, totpCode, type TestServer } from '../../support/test-server.js';
import { apiFor, storeFor, type TestApi } from '../support/test-api.js';

let server: TestServer;
let store: AppStore;
let testApi: TestApi;

beforeEach(async () => {
  server = await startTestServer();
  ({ store, testApi } = storeFor(server));
});
afterEach(() => server.close());

const state = () => store.getState();

async function signedUp(username = 'alice'): Promise<void> {
  await state().session.start();
  await state().session.createAccount(username, PASSWORD);
}

/** Turns TOTP on through the store; returns the secret the dialog showed and the codes. */
async function enrolled(): Promise<{ secret: string; codes: string[] }> {
  state().twoFactor.openEnrolment();
  await state().twoFactor.beginSetup(PASSWORD);
  const secret = state().twoFactor.enrolment?.setup?.secret ?? '';
  state().twoFactor.goToStep('verify');
  await state().twoFactor.confirmCode(totpCode(secret, server.clock));
  const codes = state().twoFactor.enrolment?.backupCodes ?? [];
  state().twoFactor.closeEnrolment();
  return { secret, codes };
}

describe('session slice', () => {
  it('starts signed out, knowing whether registration is open', async () => {
    expect(state().session.status).toBe('loading');
    await state().session.start();
    expect(state().session).toMatchObject({ status: 'signed_out', registrationOpen: true, notice: null });
  });

  it('says so in a sentence when the server cannot be reached', async () => {
    const { origin } = server;
    await server.close();
    const offline = storeFor({ origin } as TestServer).store;
    await offline.getState().session.start();
    expect(offline.getState().session.status).toBe('unavailable');
    expect(offline.getState().session.startError).toMatch(/can't be reached/);
    server = await startTestServer();
  });

  it('creates an account, signs it in and loads its two-factor state; the page never sees the token', async () => {
    await signedUp();
    expect(state().session).toMatchObject({ status: 'signed_in', username: 'alice' });
    expect(state().twoFactor.status).toEqual({ enabled: false, totp: false, securityKeys: 0, backupCodesRemaining: 0 });
    const token = testApi.cookie()?.split('=')[1] ?? '';
    expect(token.length).toBeGreaterThan(20);
    expect(JSON.stringify(state())).not.toContain(token);
  });

  it('finds the session again after a reload (a new store over the same cookie)', async () => {
    await signedUp();
    const reloaded = createAppStore(testApi.api);
    await reloaded.getState().session.start();
    expect(reloaded.getState().session).toMatchObject({ status: 'signed_in', username: 'alice' });
    expect(reloaded.getState().twoFactor.status?.enabled).toBe(false);
  });

  it('keeps the server sentence of a refused sign-in', async () => {
    await signedUp();
    await state().session.signOut();
    await expect(state().session.signIn('alice', 'wrong password')).rejects.toMatchObject({
      status: 401,
      code: 'invalid_credentials',
      message: expect.stringMatching(/not right/),
    });
    expect(state().session.status).toBe('signed_out');
  });

  it('routes six digits to TOTP and anything else to the backup-code endpoint', async () => {
    await signedUp();
    const { secret, codes } = await enrolled();
    await state().session.signOut();
    expect(state().session.notice).toEqual({ tone: 'info', message: SIGNED_OUT_MESSAGE });

    await state().session.signIn('alice', PASSWORD);
    expect(state().session.status).toBe('second_factor');
    expect(state().session.challenge?.methods).toEqual(expect.arrayContaining(['totp', 'backup_code']));
    await expect(state().session.verify('abc')).rejects.toMatchObject({ code: 'invalid_code_format' });
    await expect(state().session.verify('000000')).rejects.toMatchObject({ code: 'invalid_code' });
    expect(state().session.status).toBe('second_factor');
    server.clock.advance(30_000);
    const code = totpCode(secret, server.clock);
    await state().session.verify(`${code.slice(0, 3)} ${code.slice(3)}`);
    expect(state().session.status).toBe('signed_in');
    expect(state().twoFactor.status?.backupCodesRemaining).toBe(10);

    await state().session.signOut();
    await state().session.signIn('alice', PASSWORD);
    await state().session.verify((codes[0] ?? '').toUpperCase().replace('-', ' '));
    expect(state().session.status).toBe('signed_in');
    expect(state().twoFactor.status?.backupCodesRemaining).toBe(9);
  });

  it('asks for new codes after a backup-code sign-in that leaves three or fewer, until dismissed or signed out', async () => {
    await signedUp();
    const { codes } = await enrolled();
    for (const [index, code] of codes.slice(0, 7).entries()) {
      await state().session.signOut();
      await state().session.signIn('alice', PASSWORD);
      await state().session.verify(code);
      if (index < 6) expect(state().session.lowBackupCodes).toBeNull();
    }
    expect(state().session.lowBackupCodes).toBe(3);
    state().session.dismissLowBackupCodes();
    expect(state().session.lowBackupCodes).toBeNull();
    await state().session.signOut();
    await state().session.signIn('alice', PASSWORD);
    await state().session.verify(codes[7] ?? '');
    expect(state().session.lowBackupCodes).toBe(2);
    await state().session.signOut();
    expect(state().session.lowBackupCodes).toBeNull();
  });

  it('sends the person back to the password when the ticket dies after five wrong codes', async () => {
    await signedUp();
    await enrolled();
    await state().session.signOut();
    await state().session.signIn('alice', PASSWORD);
    for (let attempt = 0; attempt < 5; attempt++) {
      await state()
        .session.verify('000000')
        .catch(() => undefined);
    }
    await expect(state().session.verify('111111')).rejects.toMatchObject({ code: 'invalid_ticket' });
    expect(state().session).toMatchObject({ status: 'signed_out', challenge: null });
    expect(state().session.notice?.message).toMatch(/Sign in again with your password/);
  });

  it('returns to Sign in with an explanation when the session ends on the server', async () => {
    await signedUp();
    await state().events.load();
    expect(state().events.items?.length).toBeGreaterThan(0);
    server.clock.advance(31 * 60_000); // past the 30-minute idle timeout
    await expect(state().twoFactor.refresh()).rejects.toMatchObject({ code: 'unauthenticated' });
    expect(state().session).toMatchObject({ status: 'signed_out', username: null, lastUsername: 'alice' });
    expect(state().session.notice).toEqual({ tone: 'warning', message: SESSION_ENDED_MESSAGE });
    expect(state().twoFactor.status).toBeNull();
    expect(state().events.items).toBeNull();
  });

  it('shows no "session ended" message for a visitor who was never signed in', async () => {
    await state().session.start();
    await expect(state().twoFactor.refresh()).rejects.toMatchObject({ code: 'unauthenticated' });
    expect(state().session.notice).toBeNull();
  });

  it("another client's sign-out ends only that client's session", async () => {
    await signedUp();
    const other = apiFor(server.origin);
    await other.api.signIn('alice', PASSWORD);
    await other.api.signOut(); // the other client's own session: ours lives on
    await state().twoFactor.refresh();
    expect(state().session.status).toBe('signed_in');
  });
});

describe('two-factor slice', () => {
  beforeEach(() => signedUp());

  it('holds the secret only while enrolling, and the codes only until the dialog closes', async () => {
    state().twoFactor.openEnrolment();
    expect(state().twoFactor.enrolment).toMatchObject({ step: 'password', setup: null });
    await expect(state().twoFactor.beginSetup('wrong password')).rejects.toMatchObject({ code: 'invalid_password' });
    expect(state().twoFactor.enrolment?.step).toBe('password');

    await state().twoFactor.beginSetup(PASSWORD);
    const setup = state().twoFactor.enrolment?.setup;
    expect(state().twoFactor.enrolment?.step).toBe('scan');
    expect(setup?.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(setup?.qrCodeSvg).toMatch(/^<svg/);
    state().twoFactor.goToStep('verify');
    await expect(state().twoFactor.confirmCode('000000')).rejects.toMatchObject({ status: 401 });
    expect(state().twoFactor.enrolment?.step).toBe('verify');

    await state().twoFactor.confirmCode(totpCode(setup?.secret ?? '', server.clock));
    const enrolment = state().twoFactor.enrolment;
    expect(enrolment?.step).toBe('backup_codes');
    expect(enrolment?.setup).toBeNull();
    expect(enrolment?.backupCodes).toHaveLength(10);
    expect(JSON.stringify(state())).not.toContain(setup?.secret);
    expect(state().twoFactor.status).toMatchObject({ enabled: true, totp: true, backupCodesRemaining: 10 });

    state().twoFactor.closeEnrolment();
    const everything = JSON.stringify(state());
    for (const code of enrolment?.backupCodes ?? []) expect(everything).not.toContain(code);
    expect(state().twoFactor.enrolment).toBeNull();
  });

  it('keeps nothing when the dialog closes while the set-up request is on its way', async () => {
    state().twoFactor.openEnrolment();
    const pending = state().twoFactor.beginSetup(PASSWORD);
    state().twoFactor.closeEnrolment();
    await pending;
    expect(state().twoFactor.enrolment).toBeNull();
  });

  it('starts again from the password when the pending set-up expired', async () => {
    state().twoFactor.openEnrolment();
    await state().twoFactor.beginSetup(PASSWORD);
    const secret = state().twoFactor.enrolment?.setup?.secret ?? '';
    state().twoFactor.goToStep('verify');
    server.clock.advance(11 * 60_000);
    await expect(state().twoFactor.confirmCode(totpCode(secret, server.clock))).rejects.toMatchObject({
      code: 'no_pending_setup',
    });
    expect(state().twoFactor.enrolment).toMatchObject({ step: 'password', setup: null });
    expect(state().twoFactor.enrolment?.restartReason).toMatch(/Start again with your password/);
  });

  it('generates new backup codes with the password, and forgets them when their dialog closes', async () => {
    const { codes } = await enrolled();
    await expect(state().twoFactor.regenerateBackupCodes('wrong password')).rejects.toMatchObject({
      code: 'invalid_password',
    });
    await state().twoFactor.regenerateBackupCodes(PASSWORD);
    const fresh = state().twoFactor.newBackupCodes ?? [];
    expect(fresh).toHaveLength(10);
    expect(fresh.some((code) => codes.includes(code))).toBe(false);
    state().twoFactor.closeNewBackupCodes();
    expect(state().twoFactor.newBackupCodes).toBeNull();
  });

  it('disables two-factor with the password and refreshes the activity', async () => {
    await enrolled();
    await state().events.load();
    await state().twoFactor.disable(PASSWORD);
    expect(state().twoFactor.status).toMatchObject({ enabled: false, totp: false, backupCodesRemaining: 0 });
    expect(state().events.items?.[0]?.type).toBe('totp_disabled');
  });
});

describe('events slice', () => {
  it('loads the events newest first', async () => {
    await signedUp();
    await state().events.load();
    expect(state().events.items?.map((event) => event.type)).toEqual(['signed_in', 'account_created']);
    expect(state().events.loading).toBe(false);
  });
});
