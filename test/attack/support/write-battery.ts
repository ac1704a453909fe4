// A round of everyday changes, for the storage-fault tests: each request writes to the database.
// On healthy storage every one succeeds; on failing storage each must either succeed with its
// change committed or answer 503 storage_unavailable with nothing changed — never a success
// without a commit, never a half-written change.
import { expect } from 'vitest';
import type { HttpResponse, TestClient } from '../../support/http-client.js';
import { PASSWORD } from '../../support/test-server.js';
import { protectedState, withDatabase } from './data-folder.js';

export interface Scene {
  client(): TestClient;
  dataDir: string;
  /** alice: two-factor on; bob: password only. Both signed in. */
  alice: TestClient;
  bob: TestClient;
  aliceCodes: string[];
  spareTickets: string[];
  /** Sessions of bob's made while storage is healthy, for the sign-out step. */
  spareSessions: TestClient[];
}

export interface BatteryStep {
  name: string;
  /** Statuses this step answers on healthy storage. */
  healthy: number[];
  /** Whether a success changes what protectedState() shows. */
  changes: boolean;
  /** Gets what the step spends (a ticket, a session), before the database is read; false: skip. */
  prepare?(scene: Scene): Promise<boolean>;
  run(scene: Scene): Promise<HttpResponse>;
}

let accountNumber = 0;

export async function prepareScene(client: () => TestClient, dataDir: string, totpCode: (secret: string) => string) {
  const alice = client();
  await alice.post('/api/v1/accounts', { username: 'alice', password: PASSWORD });
  await alice.post('/api/v1/session', { username: 'alice', password: PASSWORD });
  const setup = await alice.post('/api/v1/me/totp/setup', { password: PASSWORD });
  const enabled = await alice.post('/api/v1/me/totp/enable', { code: totpCode(setup.json.secret) });
  expect(enabled.status, enabled.text).toBe(200);
  const bob = client();
  await bob.post('/api/v1/accounts', { username: 'bob', password: PASSWORD });
  expect((await bob.post('/api/v1/session', { username: 'bob', password: PASSWORD })).status).toBe(200);
  const scene: Scene = {
    client,
    dataDir,
    alice,
    bob,
    aliceCodes: enabled.json.backupCodes,
    spareTickets: [],
    spareSessions: [],
  };
  await refillTickets(scene);
  return scene;
}

/**
 * Tickets and sessions for the steps that spend one. On failing storage (`tolerant`) making them
 * may fail too; the step is then skipped.
 */
export async function refillTickets(scene: Scene, { tolerant = false } = {}): Promise<void> {
  for (let attempt = 0; attempt < 6 && scene.spareTickets.length < 3; attempt += 1) {
    const answer = await scene.client().post('/api/v1/session', { username: 'alice', password: PASSWORD });
    if (!tolerant) expect(answer.status, answer.text).toBe(200);
    if (answer.status === 200) scene.spareTickets.push(answer.json.ticket);
  }
  for (let attempt = 0; attempt < 6 && scene.spareSessions.length < 3; attempt += 1) {
    const session = scene.client();
    const answer = await session.post('/api/v1/session', { username: 'bob', password: PASSWORD });
    if (!tolerant) expect(answer.status, answer.text).toBe(200);
    if (answer.status === 200) scene.spareSessions.push(session);
  }
}

export const BATTERY: BatteryStep[] = [
  {
    name: 'create an account',
    changes: true,
    healthy: [201],
    run: (scene) =>
      scene.client().post('/api/v1/accounts', { username: `person-${++accountNumber}`, password: PASSWORD }),
  },
  {
    name: 'sign in without two-factor (new session)',
    changes: true,
    healthy: [200],
    run: (scene) => scene.client().post('/api/v1/session', { username: 'bob', password: PASSWORD }),
  },
  {
    name: 'sign in with two-factor (new ticket)',
    changes: true,
    healthy: [200],
    run: (scene) => scene.client().post('/api/v1/session', { username: 'alice', password: PASSWORD }),
  },
  {
    name: 'complete a sign-in with a backup code',
    changes: true,
    healthy: [200],
    prepare: async (scene) => {
      await refillTickets(scene, { tolerant: true });
      return scene.spareTickets.length > 0;
    },
    async run(scene) {
      const answer = await scene
        .client()
        .post('/api/v1/session/backup-code', { ticket: scene.spareTickets[0], code: scene.aliceCodes[0] });
      if (answer.status === 200) {
        scene.spareTickets.shift();
        scene.aliceCodes.shift();
      }
      return answer;
    },
  },
  {
    name: 'regenerate backup codes',
    changes: true,
    healthy: [200],
    async run(scene) {
      const answer = await scene.alice.post('/api/v1/me/backup-codes', { password: PASSWORD });
      if (answer.status === 200) scene.aliceCodes = answer.json.backupCodes;
      return answer;
    },
  },
  {
    name: 'start TOTP set-up',
    changes: true,
    healthy: [200],
    run: (scene) => scene.bob.post('/api/v1/me/totp/setup', { password: PASSWORD }),
  },
  {
    name: 'start adding a security key',
    changes: true,
    healthy: [200],
    run: (scene) => scene.alice.post('/api/v1/me/security-keys/options', { password: PASSWORD }),
  },
  {
    name: 'a wrong password (counted, logged)',
    changes: false,
    healthy: [401],
    run: (scene) => scene.client().post('/api/v1/session', { username: 'bob', password: 'not the password' }),
  },
  {
    name: 'sign out (revoke the session)',
    changes: true,
    healthy: [204],
    prepare: async (scene) => {
      await refillTickets(scene, { tolerant: true });
      return scene.spareSessions.length > 0;
    },
    async run(scene) {
      const answer = await scene.spareSessions[0]!.delete('/api/v1/session');
      if (answer.status === 204) scene.spareSessions.shift();
      return answer;
    },
  },
];

export interface BatteryOutcome {
  succeeded: string[];
  unavailable: string[];
  skipped: string[];
}

/**
 * Runs the battery one step at a time, reading the database around each step: a 503 must leave
 * it exactly as it was, with the JSON error and Retry-After.
 */
export async function runBattery(scene: Scene, steps = BATTERY): Promise<BatteryOutcome> {
  const outcome: BatteryOutcome = { succeeded: [], unavailable: [], skipped: [] };
  for (const step of steps) {
    if (step.prepare && !(await step.prepare(scene))) {
      outcome.skipped.push(step.name);
      continue;
    }
    const before = withDatabase(scene.dataDir, protectedState);
    const answer = await step.run(scene);
    const after = withDatabase(scene.dataDir, protectedState);
    if (answer.status === 503) {
      expect(answer.json, step.name).toEqual({
        error: { code: 'storage_unavailable', message: expect.stringMatching(/nothing was changed/) },
      });
      expect(Number(answer.headers['retry-after']), step.name).toBeGreaterThan(0);
      expect(after, `${step.name}: a 503 changed the database`).toBe(before);
      outcome.unavailable.push(step.name);
    } else {
      expect(step.healthy, `${step.name}: ${answer.status} ${answer.text}`).toContain(answer.status);
      // A success is committed: what it changed is in the file for any other connection to read.
      if (step.changes) expect(after, `${step.name}: a success left no trace on disk`).not.toBe(before);
      else expect(after, step.name).toBe(before);
      outcome.succeeded.push(step.name);
    }
  }
  return outcome;
}
