// --database-url and its companions, checked at boot: what pg-database.ts needs to open the pool,
// or one ConfigError sentence. docs/deployment.md "Running on PostgreSQL" tells the same rules.
import { ConfigError } from '../config-error.js';
import { isLoopbackHost } from '../http/loopback.js';

/**
 * libpq's sslmode values, with libpq's meaning (docs/deployment.md). `allow` and `prefer` are
 * refused: they fall back to an unencrypted connection without a word.
 */
export const SSL_MODES = ['disable', 'require', 'verify-ca', 'verify-full'] as const;
export type SslMode = (typeof SSL_MODES)[number];

export const POSTGRES_DEFAULTS = { port: 5432, poolSize: 10, connectTimeoutSeconds: 10 } as const;

export interface PostgresConfig {
  kind: 'postgres';
  /** A host name or address, or the folder of a Unix socket (starts with /). */
  host: string;
  port: number;
  user: string | undefined;
  /** From the URL; --database-password-file is read when the pool opens. */
  password: string | undefined;
  passwordFile: string | undefined;
  database: string | undefined;
  sslMode: SslMode;
  caFile: string | undefined;
  poolSize: number;
  connectTimeoutSeconds: number;
  /** The URL without password or parameters: safe for messages and logs. */
  displayUrl: string;
}

export interface PostgresOptions {
  sslMode: string | undefined;
  caFile: string | undefined;
  passwordFile: string | undefined;
  poolSize: number;
  connectTimeoutSeconds: number;
}

const URL_PARAMETERS = new Set(['sslmode', 'host']);

export function postgresConfig(raw: string, options: PostgresOptions): PostgresConfig {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('--database-url must be a URL such as postgres://latchkey@db.example.com:5432/latchkey.');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new ConfigError(`--database-url must start with postgres:// (SQLite needs no URL), not ${url.protocol}//.`);
  }
  for (const name of url.searchParams.keys()) {
    if (!URL_PARAMETERS.has(name)) {
      throw new ConfigError(
        `--database-url's parameter "${name}" is not supported (only sslmode and host); use --database-ca-file for the CA and --database-password-file for the password.`,
      );
    }
  }
  const socketFolder = url.searchParams.get('host') ?? undefined;
  if (socketFolder !== undefined && !socketFolder.startsWith('/')) {
    throw new ConfigError('--database-url: the host parameter is for a Unix socket folder such as /run/postgresql.');
  }
  const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const host = socketFolder ?? (hostname === '' ? 'localhost' : decodeURIComponent(hostname));
  const port = url.port === '' ? POSTGRES_DEFAULTS.port : Number(url.port);
  const database = url.pathname.length > 1 ? decodeURIComponent(url.pathname.slice(1)) : undefined;
  if (database?.includes('/')) {
    throw new ConfigError('--database-url names one database after the host, as in postgres://HOST:5432/latchkey.');
  }
  const user = url.username === '' ? undefined : decodeURIComponent(url.username);
  const password = url.password === '' ? undefined : decodeURIComponent(url.password);
  if (password !== undefined && options.passwordFile !== undefined) {
    throw new ConfigError('The database password is in --database-url and --database-password-file; keep one.');
  }
  const sslMode = chooseSslMode(url.searchParams.get('sslmode') ?? undefined, options.sslMode, host);
  if (sslMode === 'verify-ca' && options.caFile === undefined) {
    throw new ConfigError(
      'sslmode verify-ca needs --database-ca-file (with a public CA it would accept any server that CA signed; use verify-full).',
    );
  }
  if (sslMode === 'disable' && options.caFile !== undefined) {
    throw new ConfigError(
      '--database-ca-file has no use with sslmode disable; choose verify-full or leave the CA out.',
    );
  }
  if (sslMode !== 'disable' && host.startsWith('/')) {
    throw new ConfigError('A Unix socket carries no TLS: use sslmode disable with the host parameter.');
  }
  const shownHost = host.startsWith('/') ? `[${host}]` : hostname === '' ? 'localhost' : url.hostname;
  return {
    kind: 'postgres',
    host,
    port,
    user,
    password,
    passwordFile: options.passwordFile,
    database,
    sslMode,
    caFile: options.caFile,
    poolSize: options.poolSize,
    connectTimeoutSeconds: options.connectTimeoutSeconds,
    displayUrl: `postgres://${user === undefined ? '' : `${url.username}@`}${shownHost}:${port}/${database ?? ''}`,
  };
}

/**
 * The URL's sslmode or --database-ssl-mode (not two different ones). Unset: verify-full, except
 * for a database on this machine (loopback or a Unix socket), where there is no network to guard.
 */
function chooseSslMode(fromUrl: string | undefined, fromOption: string | undefined, host: string): SslMode {
  if (fromUrl !== undefined && fromOption !== undefined && fromUrl !== fromOption) {
    throw new ConfigError(
      `--database-url says sslmode=${fromUrl} and --database-ssl-mode says ${fromOption}; keep one.`,
    );
  }
  const chosen = fromUrl ?? fromOption;
  if (chosen === undefined) return host.startsWith('/') || isLoopbackHost(host) ? 'disable' : 'verify-full';
  if (chosen === 'allow' || chosen === 'prefer') {
    throw new ConfigError(
      `sslmode ${chosen} falls back to an unencrypted connection without a word; choose require, verify-ca or verify-full.`,
    );
  }
  if (!(SSL_MODES as readonly string[]).includes(chosen)) {
    throw new ConfigError(`sslmode must be one of ${SSL_MODES.join(', ')}, not "${chosen}".`);
  }
  return chosen as SslMode;
}
