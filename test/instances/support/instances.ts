// Several real server processes (`node build/server/main.js`, test/attack/support/child-server.ts)
// on one private PostgreSQL database, as an organisation runs them behind a load balancer
// (docs/deployment.md "Two instances behind a reverse proxy"): each has its own data folder and
// port, all share the database, the secret key file and one public origin (the first's). Nothing
// but the database connects them, so every guarantee these tests see is the database's.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Storage } from '../../../server/storage.js';
import { rowsOf, type Rows } from '../../attack/support/data-folder.js';
import { startChildServer, type ChildServer } from '../../attack/support/child-server.js';
import { openStorageAgain, postgresBackend, type FreshDatabase } from '../../support/backends.js';
import { TestClient } from '../../support/http-client.js';

export interface Instances {
  /** The public origin every instance answers for. */
  origin: string;
  /** The secret key every instance reads (--secret-key-file). */
  secretKey: Buffer;
  /** The auditor's own connection to the shared database. */
  rows: Rows;
  /** The processes, by index; null while one is down. */
  members: (ChildServer | null)[];
  /** A client of instance `index`, or of the next live instance in turn. */
  client(index?: number): TestClient;
  /** A client of the next live instance in turn that carries `owner`'s session. */
  clientAs(owner: TestClient): TestClient;
  /** Ends instance `index` with `signal` (SIGKILL: mid-request, as a crash) and waits for its exit. */
  stop(index: number, signal?: NodeJS.Signals): Promise<number | string>;
  /** Starts instance `index` again, at its port. */
  restart(index: number): Promise<ChildServer>;
  close(): Promise<void>;
}

export interface InstancesOptions {
  /** Options for every instance (limits, timeouts). */
  args?: string[];
}

export async function startInstances(count: number, options: InstancesOptions = {}): Promise<Instances> {
  const folder = mkdtempSync(join(tmpdir(), 'latchkey-instances-'));
  const keyFile = join(folder, 'secret.key');
  const secretKey = randomBytes(32);
  writeFileSync(keyFile, secretKey, { mode: 0o600 });
  const database: FreshDatabase = await postgresBackend().freshDatabase();
  const common = [...database.args, '--secret-key-file', keyFile, ...(options.args ?? [])];
  const dataDirs = Array.from({ length: count }, (_, index) => join(folder, `instance-${index}`));
  const ports: number[] = [];
  const members: (ChildServer | null)[] = [];
  let origin = '';
  const launch = (index: number) =>
    startChildServer({
      port: ports[index] ?? 0,
      dataDir: dataDirs[index]!,
      // The first names the origin; the others serve it too, as behind one address.
      args: [...common, ...(index === 0 ? [] : ['--public-origin', origin])],
    });
  let auditor: Storage | undefined;
  try {
    for (let index = 0; index < count; index++) {
      const member = await launch(index);
      if (index === 0) origin = member.origin;
      ports[index] = member.port;
      members[index] = member;
    }
    auditor = await openStorageAgain(database);
  } catch (error) {
    await Promise.all(members.map((member) => member?.kill()));
    await database.drop();
    rmSync(folder, { recursive: true, force: true });
    throw error;
  }
  const storage = auditor;
  let turn = 0;
  const nextLive = (): number => {
    for (let tried = 0; tried < count; tried++) {
      const index = turn++ % count;
      if (members[index]) return index;
    }
    throw new Error('no instance is up');
  };
  const client = (index = nextLive()) => new TestClient(origin, ports[index]!);
  return {
    origin,
    secretKey,
    rows: rowsOf(storage),
    members,
    client,
    clientAs(owner) {
      const next = client();
      next.sessionCookie = owner.sessionCookie;
      return next;
    },
    async stop(index, signal = 'SIGKILL') {
      const member = members[index];
      if (!member) throw new Error(`instance ${index} is not running`);
      members[index] = null;
      return member.kill(signal);
    },
    async restart(index) {
      const member = await launch(index);
      members[index] = member;
      return member;
    },
    async close() {
      await Promise.all(members.map((member) => member?.kill('SIGTERM')));
      await storage.close();
      await database.drop();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
