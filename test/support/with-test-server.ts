// The set-up of an HTTP test, as vitest fixtures (test.extend): a test names what it needs, gets it
// fresh, and what was started for it is closed after it, pass or fail.
//
//   describeEachBackend('backup codes', (backend) => {
//     const it = withTestServer(backend);
//     it('…', async ({ server, alice, aliceTotp }) => { … });
//   });
//
// - server:      a real server (test-server.ts) on a fresh data folder and a fresh database of the
//                backend, with `options`
// - startServer: starts another one (the same backend and options, unless told otherwise), such as
//                a server with other settings or a restart on the same data
// - alice:       a client signed in to a new account `alice` (password PASSWORD)
// - aliceTotp:   alice's authenticator-app secret and ten backup codes, TOTP on
import { test } from 'vitest';
import { sqliteBackend, type TestBackend } from './backends.js';
import { enableTotp, signedInClient, startTestServer, type TestServer, type TestServerOptions } from './test-server.js';

export function withTestServer(backend: TestBackend = sqliteBackend, options: Omit<TestServerOptions, 'backend'> = {}) {
  return test
    .extend('serverOptions', { ...options, backend } as TestServerOptions)
    .extend('startServer', async ({ serverOptions }, { onCleanup }) => {
      const started: TestServer[] = [];
      onCleanup(async () => {
        for (const server of started.reverse()) await server.close();
      });
      return async (more: TestServerOptions = {}): Promise<TestServer> => {
        const server = await startTestServer({ ...serverOptions, ...more });
        started.push(server);
        return server;
      };
    })
    .extend('server', ({ startServer }) => startServer())
    .extend('alice', ({ server }) => signedInClient(server))
    .extend('aliceTotp', ({ server, alice }) => enableTotp(server, alice));
}
