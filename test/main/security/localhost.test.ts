// `localhost` pinned to the bundled server's address, tested at the edge that matters: the same
// Chromium rule in a real Chromium (Debian's; Electron's cannot run here), with an impostor on
// [::1] at the server's port. Without the rule Chromium goes to [::1] first and the impostor
// answers; with it, only the server on 127.0.0.1 can.
import { createServer, type Server } from 'node:http';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCALHOST_RESOLVER_RULES, pinLocalhost } from '../../../src-main/security/localhost.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../support/chromium.js';

function listen(host: string, port: number, body: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer((_request, response) => response.end(body));
    server.once('error', reject);
    server.listen({ host, port, exclusive: true }, () => resolve(server));
  });
}

let latchkey: Server;
let impostor: Server | null = null;
let noIpv6: string | null = null;
let port = 0;
const browsers: Browser[] = [];

beforeAll(async () => {
  latchkey = await listen('127.0.0.1', 0, 'latchkey');
  port = (latchkey.address() as { port: number }).port;
  impostor = await listen('::1', port, 'impostor').catch((error: Error) => {
    noIpv6 = `no IPv6 loopback to listen on (${error.message})`;
    return null;
  });
});
afterAll(async () => {
  for (const browser of browsers) await browser.close();
  latchkey.close();
  impostor?.close();
});

async function bodyAt(url: string, extraArgs: string[]): Promise<string> {
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, ...extraArgs] });
  browsers.push(browser);
  const page = await browser.newPage();
  await page.goto(url);
  return (await page.textContent('body')) ?? '';
}

describe('localhost inside the app', () => {
  it('is the switch the app appends before Electron is ready', () => {
    const switches: [string, string | undefined][] = [];
    pinLocalhost({ appendSwitch: (name, value) => switches.push([name, value]) });
    expect(switches).toEqual([['host-resolver-rules', 'MAP localhost 127.0.0.1']]);
    expect(LOCALHOST_RESOLVER_RULES).toBe('MAP localhost 127.0.0.1');
  });

  it('reaches only the server on 127.0.0.1, though another process listens on [::1] at its port', async (context) => {
    if (noIpv6) context.skip(noIpv6);
    // The attack the rule stops: plain Chromium answers http://localhost:PORT from [::1].
    expect(await bodyAt(`http://localhost:${port}/`, [])).toBe('impostor');
    expect(await bodyAt(`http://localhost:${port}/`, [`--host-resolver-rules=${LOCALHOST_RESOLVER_RULES}`])).toBe(
      'latchkey',
    );
  }, 60_000);
});
