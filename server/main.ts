#!/usr/bin/env node
// `npm run serve` / latchkey-server: parse options, start, print the URL, stop cleanly.
// A bad option or an unusable data folder ends it with one sentence, never a stack trace.
import { enableCompileCache, flushCompileCache } from 'node:module';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { ConfigError, helpText, parseCommandLine } from './config.js';
import { SecretKeyError } from './crypto/secret-key.js';
import { readVersion } from './version.js';

async function main(): Promise<number> {
  // Files the server creates (database, WAL, key) are private to the user (docs/api.md "Data folder").
  process.umask(0o077);
  const command = parseCommandLine(process.argv.slice(2), process.env);
  if (command.kind === 'help') {
    process.stdout.write(helpText());
    return 0;
  }
  if (command.kind === 'version') {
    process.stdout.write(`${readVersion()}\n`);
    return 0;
  }
  // Node keeps the compiled code of the server and its packages in the cache folder, so a start
  // after the first skips most of the compiling (docs/performance.md "Server ready"). Before the
  // import below: only code loaded after this is cached. A cache that cannot be written costs
  // nothing but the time (Node goes on without it).
  if (command.config.cacheDir !== null) enableCompileCache(join(command.config.cacheDir, 'compile'));
  const { createLatchkeyServer } = await import('./app.js');
  const server = await createLatchkeyServer({ config: command.config });
  // docs/deployment.md "Stopping an instance". Listening for the request to stop before the
  // start-up line is printed: whoever reads that line may ask at once. A second signal (the
  // handlers are `once`) ends the process straight away.
  const stop = () => {
    const { delaySeconds, graceSeconds } = command.config.shutdown;
    const delay = delaySeconds > 0 ? `readiness answers 503 for ${delaySeconds} s, then ` : '';
    process.stdout.write(`Latchkey is stopping: ${delay}requests in flight have up to ${graceSeconds} s to finish\n`);
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  // Electron's utilityProcess asks us to stop with a message rather than a signal.
  process.on('message', (message) => {
    if (message === 'shutdown') stop();
  });
  // Under Electron's utilityProcess the message arrives on process.parentPort instead.
  const { parentPort } = process as NodeJS.Process & {
    parentPort?: { on(event: 'message', listener: (event: { data: unknown }) => void): void };
  };
  parentPort?.on('message', (event) => {
    if (event.data === 'shutdown') stop();
  });
  let origin: string;
  try {
    origin = await server.listen();
  } catch (error) {
    await server.close().catch(() => undefined);
    const {
      code,
      address,
      port = command.config.port,
    } = error as NodeJS.ErrnoException & {
      address?: string;
      port?: number;
    };
    // On loopback every address `localhost` can mean is held (http/listen.ts): say which was taken.
    const where = address ? ` on ${isIP(address) === 6 ? `[${address}]` : address}` : '';
    if (code === 'EADDRINUSE')
      throw new ConfigError(`Port ${port}${where} is in use by another program; choose another with --port.`);
    if (code === 'EACCES') throw new ConfigError(`This user may not bind port ${port}; choose a port above 1023.`);
    throw error;
  }
  // Written now rather than only at exit: a process that is killed still leaves the next start its cache.
  if (command.config.cacheDir !== null) flushCompileCache();
  // Each address with its port: behind a proxy (--public-origin), the origin does not say which.
  const held = server.addresses
    .map((address) => `${isIP(address) === 6 ? `[${address}]` : address}:${server.port}`)
    .join(', ');
  const data = server.storage.kind === 'postgres' ? server.storage.location : command.config.dataDir;
  process.stdout.write(`Latchkey is serving ${origin} on ${held} (data in ${data})\n`);
  return -1;
}

main().then(
  (exitCode) => {
    if (exitCode >= 0) process.exit(exitCode);
  },
  (error: unknown) => {
    if (error instanceof ConfigError || error instanceof SecretKeyError) {
      process.stderr.write(`latchkey: ${error.message}\n`);
      process.exit(2);
    }
    process.stderr.write(`latchkey: the server could not start: ${(error as Error).message}\n`);
    process.exit(1);
  },
);
