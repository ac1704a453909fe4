// docs/api.md "POST /api/v1/me/totp/enable", clock drift: a code right for a time within ten
// minutes of now but outside the accepted window is 401 clock_drift with error.driftSeconds
// (negative: the phone is behind), counted as a wrong code. The server's clock is the injected
// fake one; the "phone" is the same secret at another time.
import { expect } from 'vitest';
import { describeEachBackend } from '../../../support/backends.js';
import type { TestClient } from '../../../support/http-client.js';
import { eventTypes, PASSWORD, totpCode, type TestServer } from '../../../support/test-server.js';
import { withTestServer } from '../../../support/with-test-server.js';

async function beginSetup(client: TestClient): Promise<string> {
  const setup = await client.post('/api/v1/me/totp/setup', { password: PASSWORD });
  expect(setup.status, setup.text).toBe(200);
  return setup.json.secret;
}

/** The code a phone shows whose clock is `offsetSeconds` off the server's (negative: behind). */
function phoneCode(secret: string, server: TestServer, offsetSeconds: number): string {
  return totpCode(secret, server.clock, offsetSeconds / 30);
}

describeEachBackend('clock drift at TOTP enrolment', (backend) => {
  const it = withTestServer(backend);

  it('tells a phone 3 minutes behind that it is 180 seconds behind, and one 4 minutes ahead +240', async ({
    server,
    alice,
  }) => {
    const secret = await beginSetup(alice);
    const behind = await alice.post('/api/v1/me/totp/enable', { code: phoneCode(secret, server, -180) });
    expect(behind.status).toBe(401);
    expect(behind.json.error.code).toBe('clock_drift');
    expect(behind.json.error.driftSeconds).toBe(-180);
    expect(behind.json.error.message).toMatch(/^Your phone's clock is about 3 minutes behind\. Turn on automatic/);
    expect(behind.json.error.message).toContain('4 tries left');

    const ahead = await alice.post('/api/v1/me/totp/enable', { code: phoneCode(secret, server, 240) });
    expect(ahead.json.error).toMatchObject({ code: 'clock_drift', driftSeconds: 240 });
    expect(ahead.json.error.message).toContain('about 4 minutes ahead');

    // Once the phone's clock is right, its code is taken.
    const right = await alice.post('/api/v1/me/totp/enable', { code: phoneCode(secret, server, 0) });
    expect(right.status, right.text).toBe(200);
    expect(right.json.backupCodes).toHaveLength(10);
  });

  it('measures from the server clock: the same code reads as drift, then as right, as that clock moves', async ({
    server,
    alice,
  }) => {
    const secret = await beginSetup(alice);
    const code = phoneCode(secret, server, 150); // the code of five steps ahead
    const early = await alice.post('/api/v1/me/totp/enable', { code });
    expect(early.json.error).toMatchObject({ code: 'clock_drift', driftSeconds: 150 });
    server.clock.advance(150_000);
    expect((await alice.post('/api/v1/me/totp/enable', { code })).status).toBe(200);
  });

  it('takes a code from the step just before or after as right, with no drift said', async ({ server, alice }) => {
    const secret = await beginSetup(alice);
    const answer = await alice.post('/api/v1/me/totp/enable', { code: phoneCode(secret, server, -30) });
    expect(answer.status, answer.text).toBe(200);
  });

  it('says nothing of drift for a code further than ten minutes off, or one that is simply wrong', async ({
    server,
    alice,
  }) => {
    const secret = await beginSetup(alice);
    const edge = await alice.post('/api/v1/me/totp/enable', { code: phoneCode(secret, server, -600) });
    expect(edge.json.error).toMatchObject({ code: 'clock_drift', driftSeconds: -600 });
    for (const offset of [-630, 630]) {
      const far = await alice.post('/api/v1/me/totp/enable', { code: phoneCode(secret, server, offset) });
      expect(far.status).toBe(401);
      expect(far.json.error.code).toBe('invalid_code');
      expect(far.json.error).not.toHaveProperty('driftSeconds');
    }
  });

  it('counts a drifted code as a wrong one: the fifth ends the set-up', async ({ server, alice }) => {
    const secret = await beginSetup(alice);
    for (let attempt = 1; attempt <= 4; attempt += 1) {
      const answer = await alice.post('/api/v1/me/totp/enable', { code: phoneCode(secret, server, -120 * attempt) });
      expect(answer.json.error).toMatchObject({ code: 'clock_drift', driftSeconds: -120 * attempt });
    }
    const fifth = await alice.post('/api/v1/me/totp/enable', { code: phoneCode(secret, server, -90) });
    expect(fifth.status).toBe(409);
    expect(fifth.json.error.code).toBe('no_pending_setup');
    // The set-up is gone: even the right code is refused now.
    const right = await alice.post('/api/v1/me/totp/enable', { code: phoneCode(secret, server, 0) });
    expect(right.json.error.code).toBe('no_pending_setup');
    const events = await eventTypes(alice);
    expect(events.filter((type) => type === 'second_factor_failed')).toHaveLength(5);
  });
});
