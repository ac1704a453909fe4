// withTestServer() closes what it started once the test is over: the servers no longer listen,
// and their data folders are gone. (Tests in one file run one after another.)
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { describe, expect } from 'vitest';
import { withTestServer } from './with-test-server.js';

/** What a new TCP connection to the origin's port on 127.0.0.1 meets: 'open' or the error code. */
function dial(origin: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port: Number(new URL(origin).port) });
    socket.once('connect', () => {
      socket.destroy();
      resolve('open');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

describe('withTestServer', () => {
  const it = withTestServer();
  const left: { origin: string; dataDir: string }[] = [];

  it('starts a server, another on request, and signs alice in with TOTP on', async ({
    server,
    startServer,
    alice,
    aliceTotp,
  }) => {
    const other = await startServer({ args: ['--issuer', 'Other'] });
    expect(other.origin).not.toBe(server.origin);
    expect(await dial(other.origin)).toBe('open');
    expect((await alice.get('/api/v1/me')).json.twoFactor).toMatchObject({ totp: true, backupCodesRemaining: 10 });
    expect(aliceTotp.backupCodes).toHaveLength(10);
    left.push(server, other);
  });

  it('has closed both after the test, and deleted their data', async () => {
    expect(left).toHaveLength(2);
    for (const { origin, dataDir } of left) {
      expect(await dial(origin)).toBe('ECONNREFUSED');
      expect(existsSync(dataDir)).toBe(false);
    }
  });
});
