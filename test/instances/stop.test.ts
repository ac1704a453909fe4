// A clean stop (docs/deployment.md "Stopping an instance"), with real processes: on SIGTERM an
// instance says it is not ready while it goes on serving for the delay, then takes no new
// connection, lets a request in flight finish (a registration whose body is still arriving) and
// saves it, and exits 0; a request that outlasts the grace period is cut and saves nothing. The
// other instance serves throughout.
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { countOf } from '../attack/support/data-folder.js';
import { describePostgres } from '../support/backends.js';
import { PASSWORD } from '../support/test-server.js';
import { startInstances, type Instances } from './support/instances.js';

interface SlowRequest {
  /** Sends the rest of the body. */
  finish(): void;
  /** The raw answer once the server closes the connection ('' if it closed without one). */
  answer: Promise<string>;
}

/** A registration whose headers and first half of the body are sent now, the rest on finish(). */
async function slowRegistration(port: number, origin: string, username: string): Promise<SlowRequest> {
  const body = JSON.stringify({ username, password: PASSWORD });
  const socket: Socket = connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  let received = '';
  socket.on('data', (chunk: Buffer) => (received += chunk.toString('utf8')));
  const answer = new Promise<string>((resolve) => socket.once('close', () => resolve(received)));
  socket.on('error', () => undefined);
  socket.write(
    `POST /api/v1/accounts HTTP/1.1\r\nHost: localhost:${port}\r\nOrigin: ${origin}\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 10)}`,
  );
  // write, not end: a client that half-closes its side has its request dropped by Node.
  return { finish: () => void socket.write(body.slice(10)), answer };
}

describePostgres('stopping one instance of two', () => {
  let instances: Instances;
  beforeAll(async () => {
    instances = await startInstances(2, { args: ['--shutdown-delay-seconds', '1', '--shutdown-grace-seconds', '3'] });
  }, 60_000);
  afterAll(() => instances?.close());

  const accountCount = (username: string) =>
    countOf(instances.rows, 'SELECT count(*) FROM users WHERE username_key = ?', [username]);

  it('finishes the request in flight and saves it, answering not ready meanwhile', async () => {
    const stopping = instances.members[0]!;
    const slow = await slowRegistration(stopping.port, instances.origin, 'dora');
    stopping.process.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 200));

    // During the delay: not ready, still serving, each answer closing its connection.
    const ready = await instances.client(0).get('/api/v1/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.json).toEqual({ status: 'unavailable', reason: 'stopping' });
    expect(ready.headers.connection).toBe('close');
    expect((await instances.client(1).get('/api/v1/health/ready')).status).toBe(200);

    // After it: no new connection; the request in flight completes and is saved.
    await new Promise((resolve) => setTimeout(resolve, 1200));
    await expect(instances.client(0).get('/api/v1/health/live')).rejects.toThrow(/ECONNREFUSED/);
    slow.finish();
    const answer = await slow.answer;
    expect(answer).toMatch(/^HTTP\/1\.1 201 /);
    expect(answer).toMatch(/\r\nconnection: close\r\n/i);
    expect(await stopping.exited).toBe(0);
    expect(await accountCount('dora')).toBe(1);
    const signIn = await instances.client(1).post('/api/v1/session', { username: 'dora', password: PASSWORD });
    expect(signIn.json.status).toBe('signed_in');
  });

  it('cuts a request that outlasts the grace period, which then saves nothing', async () => {
    const restarted = await instances.restart(0);
    const slow = await slowRegistration(restarted.port, instances.origin, 'ed');
    const startedAt = Date.now();
    restarted.process.kill('SIGTERM');
    expect(await slow.answer).toBe('');
    // Not before the delay and the grace period (1 + 3 s), well before the request timeout (15 s).
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(3900);
    expect(Date.now() - startedAt).toBeLessThan(12_000);
    expect(await restarted.exited).toBe(0);
    expect(await accountCount('ed')).toBe(0);
  });
});
