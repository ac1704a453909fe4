// A private PostgreSQL cluster for one test run: its own data folder under the system's temporary
// folder, its own port on 127.0.0.1 only, TLS with a test CA, stopped (by pg_ctl, on its own data
// folder) and deleted at the end. As root, the server runs as the `postgres` user (PostgreSQL
// refuses to run as root); the folder is handed to that user.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PrivateCluster {
  /** Superuser URL of the `postgres` database, trust auth on 127.0.0.1. */
  adminUrl: string;
  port: number;
  /** PEM of the CA that signed the server certificate (for `localhost`, no IP address). */
  caFile: string;
  /** A role that must give its password (scram-sha-256). */
  passwordRole: { user: string; password: string };
  stop(): void;
}

const SUPERUSER = 'latchkey';
const PASSWORD_ROLE = { user: 'latchkey_password', password: 'test-only password 1' };

/**
 * Why this run tests without PostgreSQL, when it was told to (LATCHKEY_TEST_POSTGRES=off), else
 * null. Only the desktop workflow's Windows and macOS jobs say so (.github/workflows/desktop.yml):
 * they test the desktop app; the server on PostgreSQL is tested by .ci/run and the Linux job. Without
 * it, CI fails when PostgreSQL is missing rather than skip its tests.
 */
export function postgresTurnedOff(): string | null {
  return process.env.LATCHKEY_TEST_POSTGRES === 'off'
    ? 'LATCHKEY_TEST_POSTGRES=off: this run leaves PostgreSQL to .ci/run and the Linux job of the desktop workflow'
    : null;
}

/** The bin folder of the newest PostgreSQL installed, or null. */
export function findPostgresBin(): string | null {
  const fromEnv = process.env.LATCHKEY_TEST_POSTGRES_BIN;
  if (fromEnv) return existsSync(join(fromEnv, 'initdb')) ? fromEnv : null;
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    const versions = readdirSync(debian)
      .filter((name) => /^\d+$/.test(name) && existsSync(join(debian, name, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return join(debian, versions[0], 'bin');
  }
  const which = spawnSync('which', ['initdb'], { encoding: 'utf8' });
  return which.status === 0 ? join(which.stdout.trim(), '..') : null;
}

export async function startPrivateCluster(bin: string): Promise<PrivateCluster> {
  const folder = mkdtempSync(join(tmpdir(), 'latchkey-postgres-'));
  const data = join(folder, 'data');
  const owner = serverUser();
  const run = (program: string, args: string[]) =>
    execFileSync(join(bin, program), args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, HOME: folder, LC_ALL: 'C' },
      ...(owner ? { uid: owner.uid, gid: owner.gid } : {}),
    });
  try {
    if (owner) chownSync(folder, owner.uid, owner.gid);
    chmodSync(folder, 0o700);
    const tls = makeTestCertificates(folder, owner);
    run('initdb', ['-D', data, '-U', SUPERUSER, '--auth=trust', '--encoding=UTF8', '--no-locale', '--no-sync']);
    const port = await freePort();
    // A throwaway cluster: durability settings off for speed (crash tests stop Latchkey, not this).
    writeFileSync(
      join(data, 'postgresql.auto.conf'),
      [
        `listen_addresses = '127.0.0.1'`,
        `port = ${port}`,
        `unix_socket_directories = '${folder}'`,
        'max_connections = 300',
        'fsync = off',
        'synchronous_commit = off',
        'full_page_writes = off',
        'ssl = on',
        `ssl_cert_file = '${tls.certFile}'`,
        `ssl_key_file = '${tls.keyFile}'`,
        '',
      ].join('\n'),
    );
    // First match wins: the password role must authenticate; everyone else is trusted, on loopback only.
    writeFileSync(
      join(data, 'pg_hba.conf'),
      [
        `host all ${PASSWORD_ROLE.user} 127.0.0.1/32 scram-sha-256`,
        'local all all trust',
        'host all all 127.0.0.1/32 trust',
        '',
      ].join('\n'),
    );
    run('pg_ctl', ['start', '-D', data, '-w', '-t', '60', '-l', join(folder, 'server.log')]);
    const stop = () => {
      try {
        run('pg_ctl', ['stop', '-D', data, '-m', 'fast', '-w', '-t', '60']);
      } finally {
        rmSync(folder, { recursive: true, force: true });
      }
    };
    return {
      adminUrl: `postgres://${SUPERUSER}@127.0.0.1:${port}/postgres`,
      port,
      caFile: tls.caFile,
      passwordRole: PASSWORD_ROLE,
      stop,
    };
  } catch (error) {
    rmSync(folder, { recursive: true, force: true });
    throw new Error(`The test PostgreSQL cluster did not start: ${describe(error)}`);
  }
}

/** As root: the `postgres` system user (else `nobody`); otherwise run as ourselves. */
function serverUser(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  for (const name of ['postgres', 'nobody']) {
    const id = spawnSync('id', ['-u', name], { encoding: 'utf8' });
    const group = spawnSync('id', ['-g', name], { encoding: 'utf8' });
    if (id.status === 0 && group.status === 0) return { uid: Number(id.stdout), gid: Number(group.stdout) };
  }
  throw new Error('Running as root, but neither a postgres nor a nobody user exists to run PostgreSQL as.');
}

/** A test CA and a server certificate for DNS name `localhost` only, made by the openssl tool. */
function makeTestCertificates(
  folder: string,
  owner: { uid: number; gid: number } | null,
): { caFile: string; certFile: string; keyFile: string } {
  const file = (name: string) => join(folder, name);
  const openssl = (args: string[]) => execFileSync('openssl', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl([
    'req',
    '-x509',
    ...ec,
    '-keyout',
    file('ca.key'),
    '-out',
    file('ca.crt'),
    '-subj',
    '/CN=Latchkey test CA',
    '-days',
    '2',
  ]);
  openssl(['req', ...ec, '-keyout', file('server.key'), '-out', file('server.csr'), '-subj', '/CN=localhost']);
  writeFileSync(file('server.ext'), 'subjectAltName = DNS:localhost\n');
  openssl([
    'x509',
    '-req',
    '-in',
    file('server.csr'),
    '-CA',
    file('ca.crt'),
    '-CAkey',
    file('ca.key'),
    '-CAcreateserial',
    '-days',
    '2',
    '-extfile',
    file('server.ext'),
    '-out',
    file('server.crt'),
  ]);
  chmodSync(file('server.key'), 0o600);
  if (owner) chownSync(file('server.key'), owner.uid, owner.gid);
  chmodSync(file('ca.crt'), 0o644);
  return { caFile: file('ca.crt'), certFile: file('server.crt'), keyFile: file('server.key') };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function describe(error: unknown): string {
  const failed = error as { stderr?: Buffer; message?: string };
  return failed.stderr?.toString().trim() || failed.message || String(error);
}
