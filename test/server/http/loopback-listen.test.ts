// On loopback the server holds every address `localhost` can mean at one port (server/http/
// listen.ts), and answers as itself on each. Real sockets, a real server in this process; the
// attempts to take an address from it are test/attack/loopback-hijack.test.ts.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bindAddresses } from '../../../server/http/listen.js';
import { hasIpv6Loopback, isFree } from '../../support/foreign-listener.js';
import { TestClient } from '../../support/http-client.js';
import { PASSWORD, startTestServer, type TestServer } from '../../support/test-server.js';

let ipv6 = false;
beforeAll(async () => {
  ipv6 = await hasIpv6Loopback();
});

const held: TestServer[] = [];
afterEach(async () => {
  for (const server of held.splice(0)) await server.close();
});

describe('the addresses the server binds', () => {
  it('on loopback: 127.0.0.1 and ::1 whatever the hosts file says, and the configured address', async () => {
    expect(await bindAddresses('127.0.0.1')).toEqual(expect.arrayContaining(['127.0.0.1', '::1']));
    expect(await bindAddresses('localhost')).toEqual(expect.arrayContaining(['127.0.0.1', '::1']));
    const custom = await bindAddresses('127.0.0.2');
    expect(custom[0]).toBe('127.0.0.2');
    expect(custom).toEqual(expect.arrayContaining(['127.0.0.1', '::1']));
    for (const address of await bindAddresses('localhost')) expect(address).toMatch(/^(127\.\d+\.\d+\.\d+|::1)$/);
  });

  it('anywhere else: only the address given', async () => {
    expect(await bindAddresses('0.0.0.0')).toEqual(['0.0.0.0']);
    expect(await bindAddresses('192.0.2.10')).toEqual(['192.0.2.10']);
  });
});

describe('a server bound to loopback', () => {
  it('holds 127.0.0.1 and [::1] at the same port, also when port 0 picked it', async () => {
    const server = await startTestServer();
    held.push(server);
    const port = server.server.port!;
    expect(port).toBeGreaterThan(0);
    expect(server.origin).toBe(`http://localhost:${port}`);
    expect(server.server.addresses).toEqual(ipv6 ? ['127.0.0.1', '::1'] : ['127.0.0.1']);
    // Held at that very port: nothing else can bind either address there.
    for (const address of server.server.addresses) expect(await isFree(address, port), address).toBe(false);
  });

  it('answers as Latchkey at [::1]:PORT: health, security headers, Host check and a sign-in', async (context) => {
    if (!ipv6) context.skip('this machine has no IPv6 loopback address, so nothing can listen on [::1]');
    const server = await startTestServer();
    held.push(server);
    const port = server.server.port!;
    const overIpv6 = new TestClient(server.origin, port, '::1');

    const health = await overIpv6.get('/api/v1/health');
    expect(health.status).toBe(200);
    expect(health.json).toMatchObject({ status: 'ok' });
    expect(health.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(health.headers['x-content-type-options']).toBe('nosniff');
    // The same guards run on every address: a foreign Host is still 421.
    const rebound = await overIpv6.get('/api/v1/health', { headers: { host: `evil.example:${port}` } });
    expect(rebound.status).toBe(421);

    // One server, one database: an account made over IPv4 signs in over IPv6.
    expect((await server.client().post('/api/v1/accounts', { username: 'over-ipv4', password: PASSWORD })).status).toBe(
      201,
    );
    const signIn = await overIpv6.post('/api/v1/session', { username: 'over-ipv4', password: PASSWORD });
    expect(signIn.json).toEqual({ status: 'signed_in', username: 'over-ipv4' });
    expect((await overIpv6.get('/api/v1/me')).status).toBe(200);
  });

  it('lets go of every address when it closes', async (context) => {
    if (!ipv6) context.skip('this machine has no IPv6 loopback address');
    const server = await startTestServer();
    const port = server.server.port!;
    await server.close();
    // Both addresses are free again: a foreign listener can take them.
    for (const host of ['127.0.0.1', '::1']) expect(await isFree(host, port), host).toBe(true);
  });
});
