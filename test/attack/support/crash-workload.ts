// The people using a server that keeps crashing (test/attack/crash-recovery.test.ts). Each user
// keeps a model of what the server TOLD them: a success is a promise that must be on disk after
// any crash; an answer lost to the crash is "maybe", and the disk decides it. After each restart
// `check()` compares the model with the database (SQLite or PostgreSQL, through `Rows`) and records
// every broken promise. The multi-instance suite (test/instances) runs the same people against
// several server processes on one PostgreSQL database.
import { decodeCredentialPublicKey } from '@simplewebauthn/server/helpers';
import { hashToken } from '../../../server/crypto/tokens.js';
import { codeAt, decodeSecret, timeStep } from '../../../server/modules/totp/totp-codes.js';
import type { HttpResponse, TestClient } from '../../support/http-client.js';
import { PASSWORD } from '../../support/test-server.js';
import { backupCodeHash, countOf, storedBackupCodes, userId, type Rows } from './data-folder.js';
import { SoftAuthenticator } from './soft-authenticator.js';

/** Thrown when the server went away: mid-request (`inFlight`, the outcome unknown), or before it. */
export class ServerGone extends Error {
  constructor(readonly inFlight: boolean) {
    super(inFlight ? 'the server went away mid-request' : 'the server is gone');
  }
}

export interface Epoch {
  alive: boolean;
  /** The public origin: what a security key is registered for. */
  origin: string;
  /** A client of a server that is up in this epoch (with several, the next in turn). */
  client(): TestClient;
}

/** The owner's session, through whichever server `epoch` hands out (several share one database). */
function asOwner(epoch: Epoch, owner: TestClient): TestClient {
  const client = epoch.client();
  client.sessionCookie = owner.sessionCookie;
  return client;
}

export async function call(epoch: Epoch, request: () => Promise<HttpResponse>): Promise<HttpResponse> {
  if (!epoch.alive) throw new ServerGone(false);
  try {
    return await request();
  } catch {
    throw new ServerGone(true);
  }
}

export interface Context {
  secretKey: Buffer;
  violations: string[];
  random: () => number;
}

/** One person of the workload: steps while the epoch lives, then checks the database. */
export interface WorkloadUser {
  step(epoch: Epoch, context: Context): Promise<void>;
}

export interface Outcomes {
  kills: number;
  /** Requests in flight when their server went: their outcome unknown to the client. */
  lostAnswers: number;
  steps: number;
}

/**
 * Every user steps until its server goes (the epoch ends); what was in flight then is counted as a
 * lost answer. Resolves once every user has stopped.
 */
export function runUntilGone(users: WorkloadUser[], epoch: Epoch, context: Context, outcomes: Outcomes): Promise<void> {
  const worker = async (user: WorkloadUser) => {
    while (epoch.alive) {
      try {
        await user.step(epoch, context);
        outcomes.steps += 1;
      } catch (error) {
        if (!(error instanceof ServerGone)) throw error;
        if (error.inFlight) outcomes.lostAnswers += 1;
        return;
      }
    }
  };
  return Promise.all(users.map(worker)).then(() => undefined);
}

type CodeState = 'unused' | 'used' | 'maybe';

function unexpected(what: string, response: HttpResponse): string {
  return `${what}: unexpected ${response.status} ${response.text.slice(0, 200)}`;
}

/** Signs in with the password; returns the ticket (two-factor is on for every user here). */
async function ticket(epoch: Epoch, username: string, context: Context): Promise<string | null> {
  const answer = await call(epoch, () => epoch.client().post('/api/v1/session', { username, password: PASSWORD }));
  if (answer.json?.status === 'second_factor_required') return answer.json.ticket as string;
  context.violations.push(unexpected(`${username} password sign-in`, answer));
  return null;
}

/** Backup codes (sign in, try a spent one again, regenerate) and, with a secret, TOTP sign-ins. */
export class BackupCodeUser {
  codes = new Map<string, CodeState>();
  /** A regeneration was sent and its answer lost: the disk may hold a set nobody has seen. */
  regenerationPending = false;
  toldStep = -1;
  diskStep = -1;
  sessions: string[] = [];

  constructor(
    readonly username: string,
    readonly owner: TestClient,
    backupCodes: string[],
    readonly totpSecret: string | null,
  ) {
    for (const code of backupCodes) this.codes.set(code, 'unused');
  }

  async step(epoch: Epoch, context: Context): Promise<void> {
    const unused = [...this.codes].filter(([, state]) => state === 'unused').map(([code]) => code);
    const used = [...this.codes].filter(([, state]) => state === 'used').map(([code]) => code);
    const roll = context.random();
    if (this.codes.size === 0 || unused.length < 2 || roll < 0.15) return this.regenerate(epoch, context);
    if (this.totpSecret && roll < 0.35 && timeStep(Date.now()) + 1 > this.toldStep) return this.totp(epoch, context);
    if (used.length > 0 && roll < 0.45) return this.spendAgain(epoch, context, used);
    return this.spend(epoch, context, unused[Math.floor(context.random() * unused.length)]!);
  }

  private async spend(epoch: Epoch, context: Context, code: string): Promise<void> {
    const t = await ticket(epoch, this.username, context);
    if (!t) return;
    this.codes.set(code, 'maybe');
    const client = epoch.client();
    const answer = await call(epoch, () => client.post('/api/v1/session/backup-code', { ticket: t, code }));
    if (answer.status === 200) {
      this.codes.set(code, 'used');
      this.sessions.push(client.sessionCookie!);
    } else {
      this.codes.set(code, 'unused');
      context.violations.push(unexpected(`${this.username} unused backup code`, answer));
    }
  }

  private async spendAgain(epoch: Epoch, context: Context, used: string[]): Promise<void> {
    const t = await ticket(epoch, this.username, context);
    if (!t) return;
    const code = used[Math.floor(context.random() * used.length)]!;
    const answer = await call(epoch, () => epoch.client().post('/api/v1/session/backup-code', { ticket: t, code }));
    if (answer.status === 200) context.violations.push(`${this.username}: backup code ${code} was accepted twice`);
    else if (answer.json?.error?.code !== 'invalid_code') context.violations.push(unexpected('spent code', answer));
  }

  private async regenerate(epoch: Epoch, context: Context): Promise<void> {
    this.regenerationPending = true;
    const answer = await call(epoch, () =>
      asOwner(epoch, this.owner).post('/api/v1/me/backup-codes', { password: PASSWORD }),
    );
    this.regenerationPending = false;
    if (answer.status !== 200) return void context.violations.push(unexpected(`${this.username} regenerate`, answer));
    this.codes = new Map((answer.json.backupCodes as string[]).map((code) => [code, 'unused']));
  }

  /** One code per time step, in increasing order: a real authenticator app on the real clock. */
  private async totp(epoch: Epoch, context: Context): Promise<void> {
    const now = timeStep(Date.now());
    const step = Math.max(this.toldStep + 1, now - 1);
    if (step > now + 1) return;
    const t = await ticket(epoch, this.username, context);
    if (!t) return;
    const code = codeAt(decodeSecret(this.totpSecret!), step * 30_000);
    const client = epoch.client();
    const answer = await call(epoch, () => client.post('/api/v1/session/totp', { ticket: t, code }));
    if (answer.status === 200) {
      this.toldStep = step;
      this.sessions.push(client.sessionCookie!);
    } else if (timeStep(Date.now()) - 1 <= step) {
      // Refused while still inside the ±1 window: only a replay would explain it, and the model
      // never replays. (A step that slid out of the window while waiting is fine to refuse.)
      context.violations.push(unexpected(`${this.username} fresh TOTP step ${step}`, answer));
    }
  }

  async check(db: Rows, context: Context): Promise<void> {
    const id = await userId(db, this.username);
    const where = `${this.username}:`;
    const rows = await storedBackupCodes(db, id);
    if (rows.length !== 10) context.violations.push(`${where} ${rows.length} backup codes on disk, not 10`);
    const byHash = new Map(rows.map((row) => [row.hashHex, row]));
    const modelHashes = [...this.codes.keys()].map((code) =>
      backupCodeHash(context.secretKey, id, code).toString('hex'),
    );
    const isModelSet = this.codes.size === 10 && modelHashes.every((hash) => byHash.has(hash));
    if (isModelSet) {
      for (const [code, state] of this.codes) {
        const row = byHash.get(backupCodeHash(context.secretKey, id, code).toString('hex'))!;
        if (state === 'used' && row.usedAt === null)
          context.violations.push(`${where} told-used code ${code} is unused`);
        if (state === 'unused' && row.usedAt !== null)
          context.violations.push(`${where} untried code ${code} is spent`);
        this.codes.set(code, row.usedAt === null ? 'unused' : 'used');
      }
    } else if (this.regenerationPending || this.codes.size === 0) {
      // The lost regeneration committed: a complete, unused set that no one has seen.
      if (rows.some((row) => row.usedAt !== null) || new Set(rows.map((row) => row.createdAt)).size > 1) {
        context.violations.push(`${where} the unseen new set is not ten fresh codes`);
      }
      this.codes.clear(); // the next step regenerates, so the model knows its codes again
    } else {
      context.violations.push(`${where} the backup codes on disk are not the set the server handed out`);
    }
    this.regenerationPending = false;
    if (this.totpSecret) {
      const step = await countOf(db, 'SELECT last_used_step FROM totp_credentials WHERE user_id = ?', [id]);
      if (step < this.toldStep) context.violations.push(`${where} TOTP step ${this.toldStep} was told but not kept`);
      if (step < this.diskStep) context.violations.push(`${where} TOTP last step went back from ${this.diskStep}`);
      this.diskStep = step;
      this.toldStep = Math.max(this.toldStep, step);
    }
    await checkSessions(db, this.username, this.sessions, context);
  }
}

/** Turns TOTP on and off: a set of ten codes appears and disappears with it, never half. */
export class TotpToggleUser {
  on = false;
  pending: 'enable' | 'disable' | null = null;
  told: string[] | null = null;

  constructor(
    readonly username: string,
    readonly owner: TestClient,
  ) {}

  async step(epoch: Epoch, context: Context): Promise<void> {
    if (this.on) {
      this.pending = 'disable';
      const answer = await call(epoch, () =>
        asOwner(epoch, this.owner).post('/api/v1/me/totp/disable', { password: PASSWORD }),
      );
      this.pending = null;
      if (answer.status !== 200) return void context.violations.push(unexpected(`${this.username} disable`, answer));
      this.on = false;
      this.told = null;
      return;
    }
    const setup = await call(epoch, () =>
      asOwner(epoch, this.owner).post('/api/v1/me/totp/setup', { password: PASSWORD }),
    );
    if (setup.status !== 200) return void context.violations.push(unexpected(`${this.username} setup`, setup));
    const code = codeAt(decodeSecret(setup.json.secret), Date.now());
    this.pending = 'enable';
    const answer = await call(epoch, () => asOwner(epoch, this.owner).post('/api/v1/me/totp/enable', { code }));
    this.pending = null;
    if (answer.status !== 200) return void context.violations.push(unexpected(`${this.username} enable`, answer));
    this.on = true;
    this.told = answer.json.backupCodes;
  }

  async check(db: Rows, context: Context): Promise<void> {
    const id = await userId(db, this.username);
    const where = `${this.username}:`;
    const enabled =
      (await db('SELECT enabled_at FROM totp_credentials WHERE user_id = ? AND enabled_at IS NOT NULL', [id])).length >
      0;
    if (this.pending === null && enabled !== this.on) {
      context.violations.push(
        `${where} TOTP is ${enabled ? 'on' : 'off'} on disk, but the server said ${this.on ? 'on' : 'off'}`,
      );
    }
    const rows = await storedBackupCodes(db, id);
    if (rows.length !== (enabled ? 10 : 0)) {
      context.violations.push(`${where} ${rows.length} backup codes with TOTP ${enabled ? 'on' : 'off'}`);
    }
    if (enabled && this.on && this.told) {
      const hashes = new Set(rows.map((row) => row.hashHex));
      const kept = this.told.every((code) => hashes.has(backupCodeHash(context.secretKey, id, code).toString('hex')));
      if (!kept) context.violations.push(`${where} the backup codes handed out at enable are not on disk`);
    }
    if (enabled !== this.on) this.told = null;
    this.on = enabled;
    this.pending = null;
  }
}

interface ModelKey {
  authenticator: SoftAuthenticator;
  state: 'added' | 'adding' | 'removed' | 'removing';
  serverId: string | null;
  toldCounter: number;
  diskCounter: number;
}

/** Adds security keys, signs in with them (the counter climbs), removes them. */
export class SecurityKeyUser {
  keys: ModelKey[] = [];
  sessions: string[] = [];

  constructor(
    readonly username: string,
    readonly owner: TestClient,
  ) {}

  async step(epoch: Epoch, context: Context): Promise<void> {
    const added = this.keys.filter((key) => key.state === 'added');
    const roll = context.random();
    if (added.length === 0 || (added.length < 4 && roll < 0.3)) return this.add(epoch, context);
    if (added.length >= 2 && roll < 0.45) return this.remove(epoch, context, added[0]!);
    return this.signIn(epoch, context, added[Math.floor(context.random() * added.length)]!);
  }

  async add(epoch: Epoch, context: Context): Promise<void> {
    const options = await call(epoch, () =>
      asOwner(epoch, this.owner).post('/api/v1/me/security-keys/options', { password: PASSWORD }),
    );
    if (options.status !== 200)
      return void context.violations.push(unexpected(`${this.username} key options`, options));
    const authenticator = new SoftAuthenticator({ origin: epoch.origin });
    const key: ModelKey = { authenticator, state: 'adding', serverId: null, toldCounter: 0, diskCounter: 0 };
    this.keys.push(key);
    const credential = authenticator.register(options.json.options);
    const answer = await call(epoch, () =>
      asOwner(epoch, this.owner).post('/api/v1/me/security-keys', { name: `Key ${this.keys.length}`, credential }),
    );
    if (answer.status !== 201) {
      key.state = 'removed';
      return void context.violations.push(unexpected(`${this.username} add key`, answer));
    }
    key.state = 'added';
    key.serverId = String(answer.json.key.id);
  }

  private async remove(epoch: Epoch, context: Context, key: ModelKey): Promise<void> {
    key.state = 'removing';
    const answer = await call(epoch, () =>
      asOwner(epoch, this.owner).delete(`/api/v1/me/security-keys/${key.serverId}`, { password: PASSWORD }),
    );
    if (answer.status !== 204) {
      key.state = 'added';
      return void context.violations.push(unexpected(`${this.username} remove key`, answer));
    }
    key.state = 'removed';
  }

  private async signIn(epoch: Epoch, context: Context, key: ModelKey): Promise<void> {
    const t = await ticket(epoch, this.username, context);
    if (!t) return;
    const client = epoch.client();
    const options = await call(epoch, () => client.post('/api/v1/session/security-key/options', { ticket: t }));
    if (options.status !== 200) return void context.violations.push(unexpected('key sign-in options', options));
    const credential = key.authenticator.assert(options.json.options);
    const answer = await call(epoch, () => client.post('/api/v1/session/security-key', { ticket: t, credential }));
    if (answer.status !== 200) return void context.violations.push(unexpected(`${this.username} key sign-in`, answer));
    key.toldCounter = key.authenticator.counter;
    this.sessions.push(client.sessionCookie!);
  }

  async check(db: Rows, context: Context): Promise<void> {
    const id = await userId(db, this.username);
    const where = `${this.username}:`;
    const rows = await db<{ id: number; credential_id: string; counter: number; public_key: Buffer }>(
      'SELECT id, credential_id, counter, public_key FROM security_keys WHERE user_id = ?',
      [id],
    );
    const byCredential = new Map(rows.map((row) => [row.credential_id, row]));
    const known = new Set(this.keys.map((key) => key.authenticator.id));
    for (const row of rows) {
      if (!known.has(row.credential_id)) context.violations.push(`${where} a credential nobody added: ${row.id}`);
      try {
        decodeCredentialPublicKey(new Uint8Array(row.public_key));
      } catch {
        context.violations.push(`${where} key ${row.id} has a half-written public key`);
      }
    }
    for (const key of this.keys) {
      const row = byCredential.get(key.authenticator.id);
      if (key.state === 'added' && !row) context.violations.push(`${where} a told-added key is missing`);
      if (key.state === 'removed' && row) context.violations.push(`${where} a told-removed key is back`);
      if (row) {
        if (row.counter < key.toldCounter)
          context.violations.push(`${where} counter ${row.counter} < told ${key.toldCounter}`);
        if (row.counter < key.diskCounter) context.violations.push(`${where} counter went back to ${row.counter}`);
        key.diskCounter = row.counter;
        key.serverId = String(row.id);
      }
      key.state = row ? 'added' : 'removed';
    }
    this.keys = this.keys.filter((key) => key.state === 'added');
    const codes = (await storedBackupCodes(db, id)).length;
    if (codes !== (rows.length > 0 ? 10 : 0))
      context.violations.push(`${where} ${codes} backup codes with ${rows.length} keys`);
    await checkSessions(db, this.username, this.sessions, context);
  }
}

/** Every sign-in the server answered with a session is still a session on disk. */
async function checkSessions(db: Rows, username: string, tokens: string[], context: Context): Promise<void> {
  for (const token of tokens) {
    const found = await db('SELECT 1 AS found FROM sessions WHERE token_hash = ?', [hashToken(token)]);
    if (found.length === 0) context.violations.push(`${username}: a told session is not on disk`);
  }
  tokens.splice(0, Math.max(0, tokens.length - 20));
}
