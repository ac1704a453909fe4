// Builds the Latchkey server: data folder, secret key, database, services, routes. Used by
// main.ts (the CLI), by the tests (with a fake clock, on a free port) and by the benchmarks.
import { accessSync, chmodSync, constants, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import fastifyCookie from '@fastify/cookie';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import { BODY_LIMIT_BYTES } from '../contract/values.js';
import { ConfigError, isLoopbackHost, type ServerConfig } from './config.js';
import { KeyRing } from './crypto/key-ring.js';
import { loadSecretKey } from './crypto/secret-key.js';
import { answerClientError } from './http/client-errors.js';
import { withContractTypes } from './http/contract-app.js';
import { handleError, installErrorHandlers } from './http/error-handler.js';
import { listenOnAll, type Bound } from './http/listen.js';
import { serveOpenApiDocument } from './http/openapi.js';
import { installRequestLog } from './http/request-log.js';
import { compileOnFirstUse } from './http/schema-compilers.js';
import { buildOriginPolicy, type OriginPolicy } from './http/origins.js';
import { installRequestGuards, setSecurityHeaders } from './http/request-guards.js';
import { systemClock, type Clock } from './platform/clock.js';
import { systemRandom, type Random } from './platform/random.js';
import { accountRoutes } from './modules/accounts/routes.js';
import { createArgon2idHasher, type PasswordHasher } from './modules/accounts/password-hasher.js';
import { backupCodeRoutes } from './modules/backup-codes/routes.js';
import { healthRoutes } from './modules/health/routes.js';
import { passkeyRoutes } from './modules/passkeys/routes.js';
import { securityEventRoutes } from './modules/security-events/routes.js';
import { securityKeyRoutes } from './modules/security-keys/routes.js';
import { sessionRoutes } from './modules/sessions/routes.js';
import { signInRoutes } from './modules/sign-in/routes.js';
import { totpRoutes } from './modules/totp/routes.js';
import { createServices, type AppServices } from './services.js';
import { openStorage, type Storage } from './storage.js';
import { userCenterRoutes } from './ui.js';
import { readVersion } from './version.js';

export { BODY_LIMIT_BYTES };
/** How often rows past their expiry are deleted (SECURITY.md "What the database keeps"). */
export const SWEEP_INTERVAL_MS = 10 * 60_000;
/** How long readiness waits for the database (docs/deployment.md "Health checks"). */
export const READINESS_TIMEOUT_MS = 2000;
export { MIGRATIONS_DIR } from './storage.js';

export interface AppOptions {
  config: ServerConfig;
  clock?: Clock;
  random?: Random;
  hasher?: PasswordHasher;
  /** The 32-byte key; by default read from the key file or LATCHKEY_SECRET_KEY. */
  secretKey?: Buffer;
  /** Keys it had before; by default read from the --previous-secret-key-file files. */
  previousSecretKeys?: Buffer[];
  /** Pino destination for tests that read the logs; default stdout. */
  logStream?: NodeJS.WritableStream;
  /** Tests shorten it to watch the sweep happen; default SWEEP_INTERVAL_MS. */
  sweepIntervalMs?: number;
}

export interface LatchkeyServer {
  app: FastifyInstance;
  services: AppServices;
  storage: Storage;
  /**
   * Binds the port (on loopback: at every address `localhost` can mean, http/listen.ts); returns
   * the public origin (http://localhost:PORT by default).
   */
  listen(): Promise<string>;
  /** The bound port, once listening. */
  readonly port: number | null;
  /** The addresses held, once listening. */
  readonly addresses: string[];
  /**
   * Stops cleanly (docs/deployment.md "Stopping an instance"): readiness answers 503 from now on,
   * for the configured delay the server goes on serving; then it accepts no new connection,
   * finishes the requests in flight for up to the grace period, closes their connections, and
   * closes the database. Calling it again returns the same stop.
   */
  close(): Promise<void>;
}

export async function createLatchkeyServer(options: AppOptions): Promise<LatchkeyServer> {
  const { config } = options;
  const clock = options.clock ?? systemClock;
  const random = options.random ?? systemRandom;
  prepareDataDir(config.dataDir);
  const secretKey =
    options.secretKey ?? loadSecretKey(config.secretKeyFile ?? join(config.dataDir, 'secret.key'), takeInlineKey());
  const previousKeys =
    options.previousSecretKeys ??
    config.previousSecretKeyFiles.map((file) => loadSecretKey(file, undefined, { create: false }));
  const keys = KeyRing.fromSecrets(secretKey, previousKeys);
  for (const key of [secretKey, ...previousKeys]) key.fill(0);
  const hasher = options.hasher ?? (await createArgon2idHasher());
  // Lost idle connections are logged once the app (and its logger) exists; the pool replaces them.
  let onIdleDatabaseError = (error: Error): void => void error;
  const storage = await openStorage(config.database, (error) => onIdleDatabaseError(error));

  let policy: OriginPolicy = buildOriginPolicy(
    config.publicOrigin ?? `http://localhost:${config.port}`,
    config.port,
    isLoopbackHost(config.host),
  );
  const originPolicy = () => policy;
  const services = createServices({
    config,
    storage,
    keys,
    hasher,
    clock,
    random,
    originPolicy,
  });
  try {
    await services.secretKeys.prepare();
    await services.accounts.fillMissingSkeletons();
  } catch (error) {
    await storage.close().catch(() => undefined);
    throw error;
  }

  const { timeouts } = config;
  const app = Fastify({
    bodyLimit: BODY_LIMIT_BYTES,
    // docs/deployment.md "Slow clients and timeouts": a client that stalls in its headers or body,
    // or idles between requests, loses its connection within the configured time. Node checks the
    // first two once per connectionsCheckingInterval, hence one second rather than its default
    // thirty.
    requestTimeout: timeouts.requestSeconds * 1000,
    keepAliveTimeout: timeouts.keepAliveSeconds * 1000,
    http: {
      headersTimeout: timeouts.headersSeconds * 1000,
      connectionsCheckingInterval: 1000,
      // A missing Host is refused by the request guards, in the error shape of docs/api.md "Errors".
      requireHostHeader: false,
    },
    clientErrorHandler: answerClientError,
    // A request that arrives while the server stops is served (with Connection: close), not
    // refused with Fastify's own 503 body: it is in flight as much as any other.
    return503OnClosing: false,
    // One hop: the address the proxy itself appended to X-Forwarded-For. Trusting every hop would
    // take the leftmost entry, which the client writes: any address, loopback included.
    trustProxy: config.trustProxy ? (_address: string, hop: number) => hop === 0 : false,
    logger:
      config.logLevel === 'silent'
        ? false
        : { level: config.logLevel, ...(options.logStream ? { stream: options.logStream } : {}) },
    // Not a line per request: http/request-log.ts logs sign-ins, slow requests, and every request at debug.
    logController: new LogController({ disableRequestLogging: true }),
    // Each route's validators and serializers are compiled on its first request, not before listening.
    schemaController: compileOnFirstUse,
    ajv: {
      // docs/api.md "Bodies": an unknown field or a wrong type is 400 — never silently dropped or coerced.
      customOptions: { removeAdditional: false, coerceTypes: false, useDefaults: false, allErrors: false },
    },
    // A malformed URL or an over-long path parameter fails before routing and hooks: send it
    // through the error handler too, for the error shape (docs/api.md "Errors") and the security headers.
    frameworkErrors: (error, request, reply) => {
      setSecurityHeaders(reply);
      handleError(error, request, reply);
    },
  });
  onIdleDatabaseError = (error) => app.log.warn({ message: error.message }, 'an idle database connection failed');
  await app.register(fastifyCookie);
  serveOpenApiDocument(app, {
    title: 'Latchkey HTTP API',
    version: readVersion(),
    description: 'Written out, with its conventions and error catalogue, in docs/api.md.',
  });
  installErrorHandlers(app);
  installRequestGuards(app, originPolicy);
  if (config.logLevel === 'info' || config.logLevel === 'debug') installRequestLog(app, config.slowRequestMs);

  const api = withContractTypes(app);
  let stopping: Promise<void> | null = null;
  healthRoutes(api, readVersion(), {
    registrationOpen: config.registrationOpen,
    unreadiness: async () => {
      if (stopping) return 'stopping';
      return storage.ping(READINESS_TIMEOUT_MS).then(
        () => null,
        () => 'database_unreachable' as const,
      );
    },
  });
  // While stopping, every answer ends its connection: the client's next request opens a new one,
  // which the load balancer sends to another instance.
  app.addHook('onSend', async (_request, reply) => {
    if (stopping) reply.header('connection', 'close');
  });
  accountRoutes(api, services);
  signInRoutes(api, services);
  sessionRoutes(api, services);
  totpRoutes(api, services);
  backupCodeRoutes(api, services);
  securityEventRoutes(api, services);
  securityKeyRoutes(api, services);
  passkeyRoutes(api, services);
  userCenterRoutes(app, config.uiDir);

  // Whatever has expired is refused when presented; the sweep keeps the tables small, and bounds
  // how long a row an unauthenticated request left outlives its expiry.
  const sweeper = setInterval(() => {
    services.sweepExpired().catch((error: Error) => app.log.warn({ message: error.message }, 'sweep failed'));
  }, options.sweepIntervalMs ?? SWEEP_INTERVAL_MS);
  sweeper.unref();

  let bound: Bound | null = null;
  return {
    app,
    services,
    storage,
    async listen() {
      bound = await listenOnAll(app, config.host, config.port);
      const { port } = bound;
      policy = buildOriginPolicy(config.publicOrigin ?? `http://localhost:${port}`, port, isLoopbackHost(config.host));
      return policy.publicOrigin;
    },
    get port() {
      return bound?.port ?? null;
    },
    get addresses() {
      return bound?.addresses ?? [];
    },
    close() {
      stopping ??= stop();
      return stopping;
    },
  };

  async function stop(): Promise<void> {
    clearInterval(sweeper);
    const { delaySeconds, graceSeconds } = config.shutdown;
    if (bound && delaySeconds > 0) await new Promise((resolve) => setTimeout(resolve, delaySeconds * 1000));
    // Past the grace period, the connections still open are closed under their requests: each
    // request's transaction then rolls back, and its client was told nothing.
    const overdue = setTimeout(() => {
      app.server.closeAllConnections();
      bound?.dropExtraConnections();
    }, graceSeconds * 1000);
    try {
      await Promise.all([app.close(), bound?.closeExtra()]);
    } finally {
      clearTimeout(overdue);
    }
    await storage.close();
  }
}

/** docs/api.md "Data folder": created if missing, mode 0700. */
function prepareDataDir(dataDir: string): void {
  try {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    if (process.platform !== 'win32') chmodSync(dataDir, 0o700);
    accessSync(dataDir, constants.R_OK | constants.W_OK);
  } catch (error) {
    throw new ConfigError(`The data folder ${dataDir} cannot be used: ${(error as Error).message}.`);
  }
}

/** The desktop app hands the key over in the environment; it is removed from there at once. */
function takeInlineKey(): string | undefined {
  const value = process.env.LATCHKEY_SECRET_KEY;
  delete process.env.LATCHKEY_SECRET_KEY;
  return value === '' ? undefined : value;
}
