// Killing one of two server processes mid-request loses nothing that was answered as saved
// (SECURITY.md "Several instances"): the people of test/attack/crash-recovery.test.ts use backup
// codes, regenerate them, turn TOTP on and off and add, use and remove security keys, each request
// through the next instance in turn, while one instance or the other is killed with SIGKILL at
// seeded random moments and started again. After every kill the shared database holds every
// success a client was told of, no code was accepted twice, nothing is half-written, and no
// counter went back; the surviving instance serves on meanwhile.
import { afterAll, expect, it } from 'vitest';
import { codeAt, decodeSecret } from '../../server/modules/totp/totp-codes.js';
import {
  BackupCodeUser,
  SecurityKeyUser,
  runUntilGone,
  TotpToggleUser,
  type Context,
  type Epoch,
  type Outcomes,
} from '../attack/support/crash-workload.js';
import { countOf } from '../attack/support/data-folder.js';
import { between, scaled, SEED, seededRandom, sleep, timeLimit } from '../attack/support/scale.js';
import { describePostgres } from '../support/backends.js';
import type { TestClient } from '../support/http-client.js';
import { PASSWORD } from '../support/test-server.js';
import { startInstances, type Instances } from './support/instances.js';

describePostgres('SIGKILL of one instance of two, at random moments', () => {
  let instances: Instances | undefined;
  afterAll(() => instances?.close());

  it(
    'loses no promised change, spends no code twice, writes nothing by halves',
    { timeout: timeLimit(180_000) },
    async () => {
      const random = seededRandom(SEED);
      instances = await startInstances(2, { args: ['--lockout-threshold', '100'] });
      const cluster = instances;
      const context: Context = { secretKey: cluster.secretKey, violations: [], random };

      async function signedIn(username: string): Promise<TestClient> {
        const client = cluster.client();
        expect((await client.post('/api/v1/accounts', { username, password: PASSWORD })).status).toBe(201);
        expect((await client.post('/api/v1/session', { username, password: PASSWORD })).json.status).toBe('signed_in');
        return client;
      }
      async function enableTotp(owner: TestClient): Promise<{ secret: string; backupCodes: string[] }> {
        const setup = await cluster.clientAs(owner).post('/api/v1/me/totp/setup', { password: PASSWORD });
        const code = codeAt(decodeSecret(setup.json.secret), Date.now());
        const enabled = await cluster.clientAs(owner).post('/api/v1/me/totp/enable', { code });
        expect(enabled.status, enabled.text).toBe(200);
        return { secret: setup.json.secret, backupCodes: enabled.json.backupCodes };
      }

      const first = await signedIn('bea');
      const beaTotp = await enableTotp(first);
      const second = await signedIn('ben');
      const benTotp = await enableTotp(second);
      const bea = new BackupCodeUser('bea', first, beaTotp.backupCodes, beaTotp.secret);
      bea.toldStep = await countOf(cluster.rows, 'SELECT last_used_step FROM totp_credentials');
      bea.diskStep = bea.toldStep;
      const ben = new BackupCodeUser('ben', second, benTotp.backupCodes, null);
      const tom = new TotpToggleUser('tom', await signedIn('tom'));
      const kim = new SecurityKeyUser('kim', await signedIn('kim'));
      const users = [bea, ben, tom, kim];

      const cycles = scaled(8, 100);
      const outcomes: Outcomes = { kills: 0, lostAnswers: 0, steps: 0 };
      for (let cycle = 0; cycle < cycles; cycle += 1) {
        const epoch: Epoch = { alive: true, origin: cluster.origin, client: () => cluster.client() };
        const workers = runUntilGone(users, epoch, context, outcomes);

        await sleep(between(random, 50, 1200));
        const victim = cycle % 2;
        // The kill lands mid-request; requests already on the other instance finish there.
        const killed = cluster.stop(victim, 'SIGKILL');
        epoch.alive = false;
        expect(await killed).toBe('SIGKILL');
        outcomes.kills += 1;
        await workers;

        for (const user of users) await user.check(cluster.rows, context);
        expect(context.violations, `cycle ${cycle} (seed ${SEED})`).toEqual([]);
        await cluster.restart(victim);
      }
      expect(outcomes.kills).toBe(cycles);
      expect(outcomes.steps).toBeGreaterThan(cycles * 4);
      expect(outcomes.lostAnswers).toBeGreaterThan(0);
      console.log(`instances crash: ${JSON.stringify(outcomes)} (seed ${SEED})`);
    },
  );
});
