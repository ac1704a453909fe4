// SECURITY.md "Crashes, power cuts": the built server as its own process, killed with SIGKILL at seeded random moments
// while people use backup codes, regenerate them, turn TOTP on and off, and add, use and remove
// security keys. After every kill: the database passes PRAGMA integrity_check, every success a
// client was told about is on disk, no code is accepted twice, no code set or credential is half
// written, and no counter (TOTP step, WebAuthn signature counter) went backwards.
//
// The clock is real here (a separate process), so TOTP codes are real: each user's app uses each
// time step at most once and in increasing order, as RFC 6238 §5.2 requires of the server anyway,
// and enabling TOTP always uses a fresh secret. Attempt limits are raised out of the way (they are
// proven in brute-force.test.ts); this file is about what survives a crash.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { codeAt, decodeSecret } from '../../server/modules/totp/totp-codes.js';
import { TestClient } from '../support/http-client.js';
import { PASSWORD } from '../support/test-server.js';
import { startChildServer, type ChildServer } from './support/child-server.js';
import {
  BackupCodeUser,
  SecurityKeyUser,
  runUntilGone,
  TotpToggleUser,
  type Context,
  type Epoch,
  type Outcomes,
} from './support/crash-workload.js';
import { countOf, openDatabase, readSecretKey, sqliteRows } from './support/data-folder.js';
import { between, scaled, SEED, seededRandom, sleep, timeLimit } from './support/scale.js';

const PORT = 4850;
const SERVER_ARGS = ['--lockout-threshold', '100'];

async function signedIn(origin: string, username: string): Promise<TestClient> {
  const client = new TestClient(origin);
  expect((await client.post('/api/v1/accounts', { username, password: PASSWORD })).status).toBe(201);
  expect((await client.post('/api/v1/session', { username, password: PASSWORD })).json.status).toBe('signed_in');
  return client;
}

async function enableTotp(owner: TestClient): Promise<{ secret: string; backupCodes: string[] }> {
  const setup = await owner.post('/api/v1/me/totp/setup', { password: PASSWORD });
  const code = codeAt(decodeSecret(setup.json.secret), Date.now());
  const enabled = await owner.post('/api/v1/me/totp/enable', { code });
  expect(enabled.status, enabled.text).toBe(200);
  return { secret: setup.json.secret, backupCodes: enabled.json.backupCodes };
}

describe('SIGKILL at random moments', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'latchkey-crash-'));
  let server: ChildServer | undefined;
  afterAll(async () => {
    await server?.kill();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it(
    'loses no promised change, spends no code twice, writes nothing by halves',
    { timeout: timeLimit(600_000) },
    async () => {
      const random = seededRandom(SEED);
      server = await startChildServer({ port: PORT, dataDir, args: SERVER_ARGS });
      const origin = server.origin;
      const context: Context = { secretKey: readSecretKey(dataDir), violations: [], random };

      // The people, set up before the first crash.
      const first = await signedIn(origin, 'bea');
      const beaTotp = await enableTotp(first);
      const second = await signedIn(origin, 'ben');
      const benTotp = await enableTotp(second);
      const bea = new BackupCodeUser('bea', first, beaTotp.backupCodes, beaTotp.secret);
      // The step that enabled TOTP counts as used (docs/api.md "TOTP"): bea's app starts after it.
      const readOnly = openDatabase(dataDir);
      bea.toldStep = await countOf(sqliteRows(readOnly), 'SELECT last_used_step FROM totp_credentials');
      bea.diskStep = bea.toldStep;
      readOnly.close();
      const ben = new BackupCodeUser('ben', second, benTotp.backupCodes, null);
      const tom = new TotpToggleUser('tom', await signedIn(origin, 'tom'));
      const kim = new SecurityKeyUser('kim', await signedIn(origin, 'kim'));
      const users = [bea, ben, tom, kim];

      const cycles = scaled(12, 200);
      const outcomes: Outcomes = { kills: 0, lostAnswers: 0, steps: 0 };
      for (let cycle = 0; cycle < cycles; cycle += 1) {
        const epoch: Epoch = { alive: true, origin, client: () => new TestClient(origin) };
        const workers = runUntilGone(users, epoch, context, outcomes);

        await sleep(between(random, 50, 1200));
        epoch.alive = false;
        await server.kill('SIGKILL');
        outcomes.kills += 1;
        await workers;

        // The auditor's look, before the server replays its WAL: SQLite does it on this open.
        const db = openDatabase(dataDir, { readonly: false });
        try {
          expect(db.pragma('integrity_check', { simple: true }), `cycle ${cycle} (seed ${SEED})`).toBe('ok');
          expect(db.pragma('foreign_key_check')).toEqual([]);
          for (const user of users) await user.check(sqliteRows(db), context);
        } finally {
          db.close();
        }
        expect(context.violations, `cycle ${cycle} (seed ${SEED})`).toEqual([]);
        server = await startChildServer({ port: PORT, dataDir, args: SERVER_ARGS });
      }
      // The loop did real work between kills, and the kills did land mid-request.
      expect(outcomes.kills).toBe(cycles);
      expect(outcomes.steps).toBeGreaterThan(cycles * 4);
      expect(outcomes.lostAnswers).toBeGreaterThan(0);
      console.log(`crash-recovery: ${JSON.stringify(outcomes)} (seed ${SEED})`);
    },
  );
});
