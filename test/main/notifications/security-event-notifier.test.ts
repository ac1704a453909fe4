// Security notifications against a real server (in-process, real HTTP and SQLite): the notifier
// reads GET /api/v1/me/events with the session as a Bearer token. The OS notification itself is
// Electron's (not available here), so `notify` is a recorder.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECURITY_EVENT_TYPES } from '../../../contract/values.js';
import { jsonFileMarks } from '../../../src-main/notifications/event-marks.js';
import {
  eventFeed,
  isAccountChange,
  NOTIFIED_EVENTS,
  parseEvents,
  SecurityEventNotifier,
  type FetchLike,
} from '../../../src-main/notifications/security-event-notifier.js';
import type { TestClient } from '../../support/http-client.js';
import { enableTotp, PASSWORD, signedInClient, startTestServer, type TestServer } from '../../support/test-server.js';
import { freePortBetween } from '../support/ports.js';

let server: TestServer;
let folder: string;
beforeAll(async () => {
  server = await startTestServer({ args: ['--port', String(await freePortBetween(4821, 4829))] });
  folder = mkdtempSync(join(tmpdir(), 'latchkey-marks-'));
});
afterAll(async () => {
  await server.close();
  rmSync(folder, { recursive: true, force: true });
});

/** fetch over the test client's real HTTP, without its cookie: the token goes as Bearer. */
function fetchThrough(client: TestClient): FetchLike {
  return async (url, init) => {
    const response = await client.get(new URL(url).pathname, { headers: init.headers, noCookie: true });
    return { status: response.status, json: async () => response.json as unknown };
  };
}

function notifierFor(client: TestClient, marksFile: string, enabled = true) {
  const shown: { title: string; body: string }[] = [];
  const files = {
    readFile: (path: string) => readFile(path, 'utf8'),
    writeFile: async (p: string, c: string) => writeFileSync(p, c),
  };
  const notifier = new SecurityEventNotifier({
    server: () => server.origin,
    fetchEvents: eventFeed(
      () => server.origin,
      async () => client.sessionCookie,
      fetchThrough(client),
    ),
    marks: jsonFileMarks(marksFile, files),
    notify: (title, body) => shown.push({ title, body }),
    enabled: () => enabled,
  });
  return { notifier, shown };
}

/** Another sign-in to an existing account (another device or browser). */
async function signedIn(username: string, password: string): Promise<TestClient> {
  const client = server.client();
  const answer = await client.post('/api/v1/session', { username, password });
  if (answer.json?.status !== 'signed_in') throw new Error(`not signed in: ${answer.text}`);
  return client;
}

describe('SecurityEventNotifier', () => {
  it('notifies two-factor turned off and a backup code used, once each, also across restarts', async () => {
    const marksFile = join(folder, 'marks.json');
    const client = await signedInClient(server, 'nora');
    const { notifier, shown } = notifierFor(client, marksFile);

    // The first look only sets the mark: no replay of history.
    expect(await notifier.check()).toBe(0);
    server.clock.advanceSeconds(5);
    const { backupCodes } = await enableTotp(server, client);
    server.clock.advanceSeconds(5);
    expect(await notifier.check()).toBe(0); // turning two-factor on is not alarming

    server.clock.advanceSeconds(5);
    const other = server.client();
    const ticket = (await other.post('/api/v1/session', { username: 'nora', password: PASSWORD })).json.ticket;
    expect((await other.post('/api/v1/session/backup-code', { ticket, code: backupCodes[0] })).status).toBe(200);
    server.clock.advanceSeconds(5);
    expect((await client.post('/api/v1/me/totp/disable', { password: PASSWORD })).status).toBe(200);

    expect(await notifier.check()).toBe(2);
    expect(shown.map((entry) => entry.title)).toEqual([
      NOTIFIED_EVENTS.backup_code_used!.title,
      NOTIFIED_EVENTS.totp_disabled!.title,
    ]);
    expect(await notifier.check()).toBe(0);

    // A restarted app reads the mark from its file and shows nothing twice.
    const restarted = notifierFor(client, marksFile);
    expect(await restarted.notifier.check()).toBe(0);
    expect(JSON.parse(readFileSync(marksFile, 'utf8'))).toHaveProperty([server.origin]);
  });

  it('tells of a password changed here at once, and of one changed elsewhere after signing in again', async () => {
    const marksFile = join(folder, 'password.json');
    const desktop = await signedInClient(server, 'pia');
    const { notifier, shown } = notifierFor(desktop, marksFile);
    expect(await notifier.check()).toBe(0);

    // Changed in the app itself: this session stays, and the next check tells of it.
    server.clock.advanceSeconds(5);
    const changed = await desktop.post('/api/v1/me/password', {
      password: PASSWORD,
      newPassword: 'a new horse battery',
    });
    expect(changed.status).toBe(200);
    expect(await notifier.check()).toBe(1);
    expect(shown.at(-1)?.title).toBe(NOTIFIED_EVENTS.password_changed!.title);

    // Changed in a browser: the app's session ends with the others, so nothing can be read…
    server.clock.advanceSeconds(5);
    const browser = await signedIn('pia', 'a new horse battery');
    expect(
      (await browser.post('/api/v1/me/password', { password: 'a new horse battery', newPassword: PASSWORD })).status,
    ).toBe(200);
    expect(await notifier.check()).toBe(0);
    // …until the person signs in here again: the mark kept it, and it shows once.
    server.clock.advanceSeconds(5);
    const again = await signedIn('pia', PASSWORD);
    const next = notifierFor(again, marksFile);
    expect(await next.notifier.check()).toBe(1);
    expect(next.shown.map((entry) => entry.title)).toEqual([NOTIFIED_EVENTS.password_changed!.title]);
    expect(await next.notifier.check()).toBe(0);
  });

  it('has a notification for every administrator event type, saying an administrator did it', () => {
    const adminTypes = SECURITY_EVENT_TYPES.filter((type) => type.endsWith('_by_admin'));
    expect(adminTypes.length).toBeGreaterThan(0);
    for (const type of adminTypes) expect(NOTIFIED_EVENTS[type]?.title, type).toMatch(/^An administrator /);
  });

  it('does nothing while signed out, with a refused session, or when turned off', async () => {
    const client = await signedInClient(server, 'olga');
    const off = notifierFor(client, join(folder, 'off.json'), false);
    expect(await off.notifier.check()).toBe(0);
    expect(readFileSync.bind(null, join(folder, 'off.json'))).toThrow();

    const signedOut = server.client();
    const feed = eventFeed(
      () => server.origin,
      async () => signedOut.sessionCookie,
      fetchThrough(signedOut),
    );
    expect(await feed()).toBeNull();
    const refused = eventFeed(
      () => server.origin,
      async () => 'x'.repeat(43),
      fetchThrough(signedOut),
    );
    expect(await refused()).toBeNull();
  });

  it('runs one more check when asked during a check, never two at once', async () => {
    let running = 0;
    let most = 0;
    let calls = 0;
    const notifier = new SecurityEventNotifier({
      server: () => 'http://localhost:4821',
      fetchEvents: async () => {
        running += 1;
        calls += 1;
        most = Math.max(most, running);
        await new Promise((resolve) => setTimeout(resolve, 20));
        running -= 1;
        return [];
      },
      marks: { get: async () => 0, set: async () => undefined },
      notify: () => undefined,
      enabled: () => true,
    });
    await Promise.all([notifier.check(), notifier.check(), notifier.check()]);
    await expect.poll(() => calls).toBe(2);
    expect(most).toBe(1);
  });
});

describe('parseEvents and isAccountChange', () => {
  it('keeps well-formed events only', () => {
    expect(
      parseEvents({
        events: [
          { type: 'totp_disabled', at: '2026-01-15T09:00:00.000Z', ip: null, userAgent: null },
          { type: 'x', at: 'not a date' },
          null,
        ],
      }),
    ).toEqual([{ type: 'totp_disabled', at: Date.UTC(2026, 0, 15, 9) }]);
    expect(() => parseEvents({})).toThrow(/no events list/);
  });

  it('looks after successful changes to the server, not after reads or failures', () => {
    const origin = 'http://localhost:4821';
    expect(isAccountChange({ method: 'POST', url: `${origin}/api/v1/me/totp/disable`, statusCode: 200 }, origin)).toBe(
      true,
    );
    expect(
      isAccountChange({ method: 'DELETE', url: `${origin}/api/v1/me/security-keys/3`, statusCode: 204 }, origin),
    ).toBe(true);
    expect(isAccountChange({ method: 'GET', url: `${origin}/api/v1/me`, statusCode: 200 }, origin)).toBe(false);
    expect(isAccountChange({ method: 'POST', url: `${origin}/api/v1/session`, statusCode: 401 }, origin)).toBe(false);
    expect(isAccountChange({ method: 'POST', url: 'https://evil.example/api/v1/x', statusCode: 200 }, origin)).toBe(
      false,
    );
  });
});
