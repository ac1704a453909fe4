// Server configuration: command-line options and LATCHKEY_* environment variables, validated
// once at boot (fastify/demo's rule). Every problem becomes one ConfigError sentence that
// main.ts prints without a stack trace.
import { homedir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { optionHelp, parseOptions, type OptionSpec, type OptionValues } from './cli-options.js';
import { ConfigError } from './config-error.js';
import { isLoopbackHost } from './http/loopback.js';
import { postgresConfig, POSTGRES_DEFAULTS, type PostgresConfig } from './db/postgres-config.js';

export { ConfigError, isLoopbackHost };

export interface AttemptLimitConfig {
  /** Consecutive failures per account before sign-in answers 429. */
  accountThreshold: number;
  /** First lockout; each further failure doubles it (docs/api.md "Attempt limits"). */
  accountBaseLockSeconds: number;
  accountMaxLockSeconds: number;
  /** Failures per client address in one window before that address gets 429. */
  addressMaxFailures: number;
  addressWindowSeconds: number;
  /** A second-factor ticket dies after this many wrong codes. */
  ticketMaxFailures: number;
}

/** How the server stops on SIGTERM (docs/deployment.md "Stopping an instance"). */
export interface ShutdownConfig {
  /** Keeps serving this long with readiness answering 503, so that a load balancer moves away first. */
  delaySeconds: number;
  /** Then finishes the requests in flight for up to this long before closing their connections. */
  graceSeconds: number;
}

/** How long a client may take over a request (docs/deployment.md "Slow clients and timeouts"). */
export interface TimeoutConfig {
  /** The whole request, headers and body, from its first byte. */
  requestSeconds: number;
  /** The headers alone; at most requestSeconds. */
  headersSeconds: number;
  /** An idle connection between two requests. */
  keepAliveSeconds: number;
}

/** Where the data lives: the SQLite file in the data folder (default), or a PostgreSQL server. */
export type DatabaseConfig = { kind: 'sqlite'; file: string } | PostgresConfig;

export interface ServerConfig {
  host: string;
  /** 0 picks a free port; the public origin then follows the bound port. */
  port: number;
  dataDir: string;
  database: DatabaseConfig;
  /** Unset: http://localhost:<bound port>. */
  publicOrigin: string | undefined;
  issuer: string;
  secretKeyFile: string | undefined;
  /** Keys the server had before: what they sealed still opens (docs/deployment.md "Rotating the secret key"). */
  previousSecretKeyFiles: string[];
  registrationOpen: boolean;
  trustProxy: boolean;
  sessionIdleSeconds: number;
  sessionAbsoluteSeconds: number;
  ticketLifetimeSeconds: number;
  totpSetupLifetimeSeconds: number;
  limits: AttemptLimitConfig;
  timeouts: TimeoutConfig;
  shutdown: ShutdownConfig;
  /** Folder of the built User Center; unset serves a small page that names the API. */
  uiDir: string | undefined;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'silent';
  /**
   * Where Node keeps the server's compiled code between starts (docs/performance.md "Server
   * ready"); null: nowhere. A cache, not data: outside the data folder, safe to delete.
   */
  cacheDir: string | null;
  /** At info, a request that took at least this long is logged (docs/deployment.md "Logs"). */
  slowRequestMs: number;
}

/** One list drives parsing, the environment fallback and --help (cli-options.ts). */
export const SERVER_OPTIONS = {
  port: { env: 'LATCHKEY_PORT', type: 'string', help: 'TCP port (default 4680; 0 picks a free one)' },
  host: {
    env: 'LATCHKEY_HOST',
    type: 'string',
    help: 'address to bind (default 127.0.0.1; on loopback ::1 is held too; else needs --public-origin)',
  },
  'data-dir': {
    env: 'LATCHKEY_DATA_DIR',
    type: 'string',
    help: "data folder (default: the user's data location)",
  },
  'public-origin': {
    env: 'LATCHKEY_PUBLIC_ORIGIN',
    type: 'string',
    help: 'origin people reach the server at (default http://localhost:PORT)',
  },
  issuer: {
    env: 'LATCHKEY_ISSUER',
    type: 'string',
    help: 'issuer shown in authenticator apps (default Latchkey)',
  },
  'secret-key-file': {
    env: 'LATCHKEY_SECRET_KEY_FILE',
    type: 'string',
    help: 'file holding the 32-byte secret key (default DATA_DIR/secret.key, created on first start)',
  },
  'previous-secret-key-file': {
    env: 'LATCHKEY_PREVIOUS_SECRET_KEY_FILE',
    type: 'string',
    multiple: true,
    help: `a key this server had before: what it sealed still opens, and is sealed anew when used (repeat for several; the variable separates files with "${delimiter}")`,
  },
  registration: {
    env: 'LATCHKEY_REGISTRATION',
    type: 'string',
    help: '"open" or "closed" (default open while bound to loopback, else closed)',
  },
  'trust-proxy': {
    env: 'LATCHKEY_TRUST_PROXY',
    type: 'boolean',
    help: 'take the client address that your one reverse proxy appends to X-Forwarded-For',
  },
  'session-idle-minutes': {
    env: 'LATCHKEY_SESSION_IDLE_MINUTES',
    type: 'string',
    help: 'sign out after this many idle minutes (default 30)',
  },
  'session-absolute-hours': {
    env: 'LATCHKEY_SESSION_ABSOLUTE_HOURS',
    type: 'string',
    help: 'sign out this many hours after sign-in (default 12)',
  },
  'lockout-threshold': {
    env: 'LATCHKEY_LOCKOUT_THRESHOLD',
    type: 'string',
    help: 'consecutive failures before an account is locked (default 5)',
  },
  'lockout-base-seconds': {
    env: 'LATCHKEY_LOCKOUT_BASE_SECONDS',
    type: 'string',
    help: 'first lockout, doubled by each further failure (default 60)',
  },
  'lockout-max-seconds': {
    env: 'LATCHKEY_LOCKOUT_MAX_SECONDS',
    type: 'string',
    help: 'longest lockout (default 86400)',
  },
  'address-max-failures': {
    env: 'LATCHKEY_ADDRESS_MAX_FAILURES',
    type: 'string',
    help: 'failures per client address per window (default 300; loopback is exempt)',
  },
  'address-window-minutes': {
    env: 'LATCHKEY_ADDRESS_WINDOW_MINUTES',
    type: 'string',
    help: 'length of the per-address window (default 15)',
  },
  'request-timeout-seconds': {
    env: 'LATCHKEY_REQUEST_TIMEOUT_SECONDS',
    type: 'string',
    help: 'a request, headers and body, must arrive within this (default 15)',
  },
  'headers-timeout-seconds': {
    env: 'LATCHKEY_HEADERS_TIMEOUT_SECONDS',
    type: 'string',
    help: "a request's headers must arrive within this (default 10; at most the request timeout)",
  },
  'keep-alive-timeout-seconds': {
    env: 'LATCHKEY_KEEP_ALIVE_TIMEOUT_SECONDS',
    type: 'string',
    help: 'close a connection idle this long between requests (default 5)',
  },
  'shutdown-delay-seconds': {
    env: 'LATCHKEY_SHUTDOWN_DELAY_SECONDS',
    type: 'string',
    help: 'on SIGTERM, keep serving this long with readiness answering 503 first (default 0)',
  },
  'shutdown-grace-seconds': {
    env: 'LATCHKEY_SHUTDOWN_GRACE_SECONDS',
    type: 'string',
    help: 'then finish requests in flight for up to this long, accepting no new connection (default 10)',
  },
  'database-url': {
    env: 'LATCHKEY_DATABASE_URL',
    type: 'string',
    help: 'postgres://USER@HOST:PORT/NAME: keep the data in PostgreSQL instead of DATA_DIR/latchkey.db',
  },
  'database-ssl-mode': {
    env: 'LATCHKEY_DATABASE_SSL_MODE',
    type: 'string',
    help: 'disable, require, verify-ca or verify-full (default verify-full; disable for this machine)',
  },
  'database-ca-file': {
    env: 'LATCHKEY_DATABASE_CA_FILE',
    type: 'string',
    help: "PEM file of the CA that signed the database server's certificate (default: the system's)",
  },
  'database-password-file': {
    env: 'LATCHKEY_DATABASE_PASSWORD_FILE',
    type: 'string',
    help: 'file holding the database password (keeps it out of the URL and the process list)',
  },
  'database-pool-size': {
    env: 'LATCHKEY_DATABASE_POOL_SIZE',
    type: 'string',
    help: `database connections this instance opens at most (default ${POSTGRES_DEFAULTS.poolSize})`,
  },
  'database-connect-timeout-seconds': {
    env: 'LATCHKEY_DATABASE_CONNECT_TIMEOUT_SECONDS',
    type: 'string',
    help: `give up connecting to the database after this long (default ${POSTGRES_DEFAULTS.connectTimeoutSeconds})`,
  },
  'ui-dir': {
    env: 'LATCHKEY_UI_DIR',
    type: 'string',
    help: 'folder of the built User Center (default: the one shipped beside the server)',
  },
  'log-level': {
    env: 'LATCHKEY_LOG_LEVEL',
    type: 'string',
    help: 'fatal, error, warn, info, debug or silent (default info; debug logs every request)',
  },
  'cache-dir': {
    env: 'LATCHKEY_CACHE_DIR',
    type: 'string',
    help: 'folder for compiled code that speeds up the next start (default: the user\'s cache folder; "off": none)',
  },
  'slow-request-ms': {
    env: 'LATCHKEY_SLOW_REQUEST_MS',
    type: 'string',
    help: 'at info, log a request that took at least this long (default 1000)',
  },
  help: { env: '', type: 'boolean', help: 'print this help and exit' },
  version: { env: '', type: 'boolean', help: 'print the version and exit' },
} as const satisfies Record<string, OptionSpec>;

export type ServerOptionName = keyof typeof SERVER_OPTIONS;

export function helpText(): string {
  return ['Usage: latchkey-server [options]', '', 'Options:', ...optionHelp(SERVER_OPTIONS), ''].join('\n');
}

export type ParsedCommand = { kind: 'help' } | { kind: 'version' } | { kind: 'run'; config: ServerConfig };

/** Parses argv and env into a validated config, or throws ConfigError with one sentence. */
export function parseCommandLine(argv: string[], env: NodeJS.ProcessEnv): ParsedCommand {
  const options = parseOptions(SERVER_OPTIONS, argv, env);
  if (options.readFlag('help')) return { kind: 'help' };
  if (options.readFlag('version')) return { kind: 'version' };
  return { kind: 'run', config: serverConfig(options, env) };
}

/**
 * The validated config from option values: the server's own, or a subset that another command
 * (the admin CLI) takes, every other option at its default.
 */
export function serverConfig(options: OptionValues<ServerOptionName>, env: NodeJS.ProcessEnv): ServerConfig {
  const { read, readFlag, readAll } = options;
  const port = integer(read('port'), 'port', 4680, 0, 65535);
  const host = read('host') ?? '127.0.0.1';
  const loopback = isLoopbackHost(host);
  const publicOrigin = read('public-origin');
  if (publicOrigin !== undefined) validateOrigin(publicOrigin);
  if (!loopback && publicOrigin === undefined) {
    throw new ConfigError(
      `Binding ${host} exposes the server beyond this machine; set --public-origin to the address people use.`,
    );
  }
  const registration = read('registration');
  if (registration !== undefined && registration !== 'open' && registration !== 'closed') {
    throw new ConfigError(`--registration must be "open" or "closed", not "${registration}".`);
  }
  const logLevel = read('log-level') ?? 'info';
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'silent'].includes(logLevel)) {
    throw new ConfigError(`--log-level must be one of fatal, error, warn, info, debug, silent; "${logLevel}" is not.`);
  }
  const issuer = read('issuer') ?? 'Latchkey';
  if (issuer.includes(':') || issuer.length > 64) {
    throw new ConfigError(
      '--issuer must be at most 64 characters and contain no colon (the key URI uses it as a separator).',
    );
  }
  const dataDir = resolve(read('data-dir') ?? defaultDataDir(env));
  const requestSeconds = integer(read('request-timeout-seconds'), 'request-timeout-seconds', 15, 1, 300);
  const headersSeconds = integer(
    read('headers-timeout-seconds'),
    'headers-timeout-seconds',
    Math.min(10, requestSeconds),
    1,
    300,
  );
  if (headersSeconds > requestSeconds) {
    throw new ConfigError(
      `--headers-timeout-seconds (${headersSeconds}) cannot be longer than --request-timeout-seconds (${requestSeconds}).`,
    );
  }
  return {
    host,
    port,
    dataDir,
    database: databaseConfig(read, dataDir),
    publicOrigin: publicOrigin === undefined ? undefined : new URL(publicOrigin).origin,
    issuer,
    secretKeyFile: optionalPath(read('secret-key-file')),
    previousSecretKeyFiles: readAll('previous-secret-key-file').map((file) => resolve(file)),
    registrationOpen: registration === undefined ? loopback : registration === 'open',
    trustProxy: readFlag('trust-proxy'),
    sessionIdleSeconds: 60 * integer(read('session-idle-minutes'), 'session-idle-minutes', 30, 1, 24 * 60),
    sessionAbsoluteSeconds: 3600 * integer(read('session-absolute-hours'), 'session-absolute-hours', 12, 1, 24 * 30),
    ticketLifetimeSeconds: 5 * 60,
    totpSetupLifetimeSeconds: 10 * 60,
    limits: {
      accountThreshold: integer(read('lockout-threshold'), 'lockout-threshold', 5, 1, 100),
      accountBaseLockSeconds: integer(read('lockout-base-seconds'), 'lockout-base-seconds', 60, 1, 86400),
      accountMaxLockSeconds: integer(read('lockout-max-seconds'), 'lockout-max-seconds', 86400, 1, 30 * 86400),
      addressMaxFailures: integer(read('address-max-failures'), 'address-max-failures', 300, 1, 1_000_000),
      addressWindowSeconds: 60 * integer(read('address-window-minutes'), 'address-window-minutes', 15, 1, 24 * 60),
      ticketMaxFailures: 5,
    },
    timeouts: {
      requestSeconds,
      headersSeconds,
      keepAliveSeconds: integer(read('keep-alive-timeout-seconds'), 'keep-alive-timeout-seconds', 5, 1, 600),
    },
    shutdown: {
      delaySeconds: integer(read('shutdown-delay-seconds'), 'shutdown-delay-seconds', 0, 0, 300),
      graceSeconds: integer(read('shutdown-grace-seconds'), 'shutdown-grace-seconds', 10, 0, 600),
    },
    uiDir: optionalPath(read('ui-dir')),
    logLevel: logLevel as ServerConfig['logLevel'],
    cacheDir: cacheDir(read('cache-dir'), env),
    slowRequestMs: integer(read('slow-request-ms'), 'slow-request-ms', 1000, 1, 600_000),
  };
}

/** Options that only mean something with --database-url. */
const POSTGRES_ONLY = [
  'database-ssl-mode',
  'database-ca-file',
  'database-password-file',
  'database-pool-size',
  'database-connect-timeout-seconds',
] as const satisfies ServerOptionName[];

function databaseConfig(read: (name: ServerOptionName) => string | undefined, dataDir: string): DatabaseConfig {
  const url = read('database-url');
  if (url === undefined) {
    const stray = POSTGRES_ONLY.find((name) => read(name) !== undefined);
    if (stray) throw new ConfigError(`--${stray} applies only with --database-url.`);
    return { kind: 'sqlite', file: join(dataDir, 'latchkey.db') };
  }
  return postgresConfig(url, {
    sslMode: read('database-ssl-mode'),
    caFile: optionalPath(read('database-ca-file')),
    passwordFile: optionalPath(read('database-password-file')),
    poolSize: integer(read('database-pool-size'), 'database-pool-size', POSTGRES_DEFAULTS.poolSize, 1, 1000),
    connectTimeoutSeconds: integer(
      read('database-connect-timeout-seconds'),
      'database-connect-timeout-seconds',
      POSTGRES_DEFAULTS.connectTimeoutSeconds,
      1,
      600,
    ),
  });
}

function integer(raw: string | undefined, name: string, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new ConfigError(`--${name} must be a whole number from ${min} to ${max}, not "${raw}".`);
  }
  return Number(raw);
}

function optionalPath(raw: string | undefined): string | undefined {
  return raw === undefined ? undefined : resolve(raw);
}

function validateOrigin(raw: string): void {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`--public-origin must be a URL such as https://id.example.com, not "${raw}".`);
  }
  const local = url.hostname === 'localhost';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && local)) {
    throw new ConfigError(
      '--public-origin must use https (plain http is allowed only for localhost, as WebAuthn requires).',
    );
  }
  if (url.pathname !== '/' || url.search || url.hash || url.username || url.password) {
    throw new ConfigError(`--public-origin must be an origin only (scheme, host and port), not "${raw}".`);
  }
}

/** The per-user data location of each OS (the Electron app passes its own userData folder). */
function cacheDir(raw: string | undefined, env: NodeJS.ProcessEnv): string | null {
  if (raw === 'off') return null;
  if (raw !== undefined) return resolve(raw);
  if (process.platform === 'win32')
    return join(env.LOCALAPPDATA ?? join(homedir(), 'AppData', 'Local'), 'Latchkey', 'Cache', 'server');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Caches', 'Latchkey', 'server');
  return join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'latchkey');
}

export function defaultDataDir(env: NodeJS.ProcessEnv): string {
  if (process.platform === 'win32')
    return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Latchkey', 'server');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Latchkey', 'server');
  return join(env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'latchkey');
}
