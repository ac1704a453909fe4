// Another program on the same machine tries to answer at http://localhost:PORT in the server's
// place (SECURITY.md "Another program on the same machine"): a browser or the desktop window may
// connect to [::1]:PORT or to 127.0.0.1:PORT, whichever it tries first, and would hand whatever
// listens there the password, the session cookie and WebAuthn for RP ID `localhost`.
// - Before the server starts: a listener on either address makes the server refuse that port,
//   with one sentence naming the address, and exit 2 (the built server, as its own process).
// - After it starts: whatever the OS lets another program bind, every loopback address at the
//   port still answers as Latchkey.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, isIP, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { hasIpv6Loopback, holdPortOn, type ForeignListener } from '../support/foreign-listener.js';
import { TestClient } from '../support/http-client.js';
import { startTestServer } from '../support/test-server.js';
import { serverCommand } from './support/child-server.js';

const ROOT = join(import.meta.dirname, '..', '..');
let ipv6 = false;
const work = mkdtempSync(join(tmpdir(), 'latchkey-hijack-'));
const foreign: ForeignListener[] = [];
beforeAll(async () => {
  ipv6 = await hasIpv6Loopback();
  serverCommand();
}, 180_000);
afterEach(async () => {
  for (const listener of foreign.splice(0)) await listener.close();
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

function runServer(port: number) {
  return spawnSync(
    process.execPath,
    [...serverCommand(), '--port', String(port), '--data-dir', mkdtempSync(join(work, 'data-')), '--log-level', 'warn'],
    { cwd: ROOT, encoding: 'utf8', timeout: 30_000 },
  );
}

describe('a program that listens first', () => {
  it('on [::1]:PORT: the server refuses the port, naming the address, and exits 2', async ({ skip }) => {
    if (!ipv6) skip('this machine has no IPv6 loopback address, so nothing can listen on [::1]');
    const listener = await holdPortOn('::1');
    foreign.push(listener);
    const result = runServer(listener.port);
    expect(result.status).toBe(2);
    expect(result.stdout).not.toMatch(/serving/);
    expect(result.stderr).toBe(
      `latchkey: Port ${listener.port} on [::1] is in use by another program; choose another with --port.\n`,
    );
  });

  it('on 127.0.0.1:PORT: the same', async () => {
    const listener = await holdPortOn('127.0.0.1');
    foreign.push(listener);
    const result = runServer(listener.port);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(
      `latchkey: Port ${listener.port} on 127.0.0.1 is in use by another program; choose another with --port.\n`,
    );
  });
});

describe('a program that tries to listen after the server started', () => {
  /** Tries to bind; keeps whatever the OS allowed, to be closed after the test. */
  async function tryToListen(host: string, port: number): Promise<Server | null> {
    const server = createServer((socket) => socket.end('HTTP/1.1 200 OK\r\ncontent-length: 6\r\n\r\nhijack'));
    return new Promise((resolve) => {
      server.once('error', () => resolve(null));
      server.listen({ host, port, ipv6Only: isIP(host) === 6 }, () => resolve(server));
    });
  }

  it('can take none of its addresses: each still answers as Latchkey', async ({ skip }) => {
    if (!ipv6) skip('this machine has no IPv6 loopback address');
    const server = await startTestServer();
    const port = server.server.port!;
    const intruders: Server[] = [];
    try {
      for (const host of ['::1', '127.0.0.1', '::', '0.0.0.0', 'localhost']) {
        const intruder = await tryToListen(host, port);
        // Binding the very addresses the server holds is refused by the OS.
        if (host === '::1' || host === '127.0.0.1' || host === 'localhost') expect(intruder, host).toBeNull();
        if (intruder) intruders.push(intruder);
      }
      for (const address of ['127.0.0.1', '::1']) {
        const health = await new TestClient(server.origin, port, address).get('/api/v1/health');
        expect(health.status, address).toBe(200);
        expect(health.json, address).toMatchObject({ status: 'ok' });
        expect(health.headers['x-content-type-options'], address).toBe('nosniff');
      }
    } finally {
      for (const intruder of intruders) await new Promise((resolve) => intruder.close(resolve));
      await server.close();
    }
  });
});
