// Updates, tested at the edge: the real electron-updater (its generic provider, its feed
// parsing, its version comparison) against a real HTTP feed on loopback. What can't run here is
// Electron itself: electron-updater is handed a stand-in for Electron's app (its own AppAdapter
// interface) and Node's HTTP instead of Electron's net (its HttpExecutor interface).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import {
  createServer,
  request,
  type ClientRequest,
  type IncomingMessage,
  type RequestOptions,
  type Server,
} from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Configuration } from 'app-builder-lib';
import { getConfig } from 'app-builder-lib/out/util/config/config.js';
import runtime from 'builder-util-runtime';
import updaterModule from 'electron-updater';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { describeUpdateError, UpdateService, type Updater } from '../../../src-main/updates/update-service.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const work = mkdtempSync(join(tmpdir(), 'latchkey-updates-'));
const VERSION = '0.1.0';

/** Node's HTTP for electron-updater (Electron's net is what the app uses). */
class NodeHttpExecutor extends runtime.HttpExecutor<ClientRequest> {
  createRequest(options: RequestOptions, callback: (response: IncomingMessage) => void): ClientRequest {
    return request(options, callback);
  }
}

const requests: string[] = [];
const feeds: Record<string, string> = {};
let feed: Server;
let base = '';
let closedPort = 0;

beforeAll(async () => {
  feed = createServer((incoming, response) => {
    const path = new URL(incoming.url ?? '/', 'http://feed').pathname;
    requests.push(path);
    const body = feeds[path];
    response.writeHead(body === undefined ? 404 : 200, { 'content-type': 'text/yaml' }).end(body ?? 'not found');
  });
  await new Promise<void>((resolve) => feed.listen({ host: '127.0.0.1', port: 0 }, resolve));
  base = `http://127.0.0.1:${(feed.address() as { port: number }).port}`;
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen({ host: '127.0.0.1', port: 0 }, resolve));
  closedPort = (closed.address() as { port: number }).port;
  await new Promise((resolve) => closed.close(resolve));
});
afterAll(() => {
  feed.close();
  rmSync(work, { recursive: true, force: true });
});

const latest = (version: string) =>
  `version: ${version}\nfiles:\n  - url: latchkey_${version}_amd64.deb\n    sha512: ${'A'.repeat(86)}==\n    size: 1000\n` +
  `path: latchkey_${version}_amd64.deb\nsha512: ${'A'.repeat(86)}==\nreleaseDate: '2026-05-01T10:00:00.000Z'\n`;

let folders = 0;
/** electron-updater's Linux updater, over a stand-in Electron app whose resources hold `appUpdateYml`. */
function realUpdater(appUpdateYml: string): () => Updater {
  const folder = join(work, `app-${(folders += 1)}`);
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'app-update.yml'), appUpdateYml);
  const app = {
    version: VERSION,
    name: 'Latchkey',
    isPackaged: true,
    appUpdateConfigPath: join(folder, 'app-update.yml'),
    userDataPath: folder,
    baseCachePath: folder,
    whenReady: async () => undefined,
    quit: () => undefined,
    relaunch: () => undefined,
    onQuit: () => undefined,
  };
  return () => {
    const updater = new updaterModule.DebUpdater(null, app);
    (updater as unknown as { httpExecutor: NodeHttpExecutor }).httpExecutor = new NodeHttpExecutor();
    return updater as unknown as Updater;
  };
}

function service(options: {
  updater: () => Updater;
  autoUpdate?: boolean;
  updateUrl?: string | null;
  packaged?: boolean;
}) {
  const log: string[] = [];
  const updater = vi.fn(options.updater);
  const updates = new UpdateService({
    updater,
    autoUpdate: options.autoUpdate ?? true,
    updateUrl: options.updateUrl ?? null,
    packaged: options.packaged ?? true,
    appVersion: VERSION,
    log: (message) => log.push(message),
  });
  return { updates, updater, log };
}

/** What electron-builder writes into resources/app-update.yml for a generic feed. */
const appUpdateYml = (url: string) => `provider: generic\nurl: ${url}\nupdaterCacheDirName: latchkey-updater\n`;

describe('the update feed', () => {
  it("is the build's publish feed: generic, over https (electron-builder.yml)", async () => {
    const config: Configuration = await getConfig(ROOT, null, null);
    expect(config.publish).toEqual({ provider: 'generic', url: expect.stringMatching(/^https:\/\//) });
  });

  it("is read from the build's app-update.yml when the policy names none", async () => {
    feeds['/build-feed/latest-linux.yml'] = latest('0.2.0');
    const { updates, log } = service({ updater: realUpdater(appUpdateYml(`${base}/build-feed`)) });
    requests.length = 0;
    expect(await updates.checkNow()).toEqual({
      type: 'info',
      title: 'Latchkey 0.2.0 is available',
      message: 'It is being downloaded and will be installed when you quit Latchkey.',
    });
    expect(requests[0]).toBe('/build-feed/latest-linux.yml');
    // The download starts in the background. It fails here (Node's HTTP stands in for Electron's
    // net, which downloads): the failure goes to the log through 'error', never an unhandled
    // rejection (vitest fails a run that has one).
    await vi.waitFor(() => expect(log.join('\n')).toMatch(/Downloading update from latchkey_0\.2\.0_amd64\.deb/));
    await vi.waitFor(() => expect(log.at(-1)).toMatch(/^updates: .*Try again later\.$/));
  });

  it("is the policy's updateUrl when it names one", async () => {
    feeds['/policy-feed/latest-linux.yml'] = latest(VERSION);
    const { updates } = service({
      updater: realUpdater(appUpdateYml(`${base}/build-feed`)),
      updateUrl: `${base}/policy-feed`,
    });
    requests.length = 0;
    expect(await updates.checkNow()).toEqual({
      type: 'info',
      title: 'Latchkey is up to date',
      message: 'Version 0.1.0 is the newest.',
    });
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.every((path) => path.startsWith('/policy-feed/'))).toBe(true);
  });
});

describe('updates turned off or unavailable', () => {
  it('never check when the policy says autoUpdate: false, and say who manages them', async () => {
    const { updates, updater, log } = service({ updater: realUpdater(appUpdateYml(`${base}/x`)), autoUpdate: false });
    updates.checkInBackground();
    expect(await updates.checkNow()).toEqual({
      type: 'info',
      title: 'Updates are managed by your IT department',
      message: 'Your IT department installs Latchkey’s updates. This is version 0.1.0.',
    });
    expect(updater).not.toHaveBeenCalled();
    expect(log).toEqual(['updates: not checking (Updates are managed by your IT department)']);
  });

  it('never check in a development build', async () => {
    const { updates, updater } = service({ updater: realUpdater(appUpdateYml(`${base}/x`)), packaged: false });
    expect((await updates.checkNow()).title).toBe('Updates are checked only in the installed app');
    expect(updater).not.toHaveBeenCalled();
  });
});

describe('no network', () => {
  it('answers in words, and nothing throws', async () => {
    const { updates, log } = service({ updater: realUpdater(appUpdateYml(`http://127.0.0.1:${closedPort}/feed`)) });
    updates.checkInBackground();
    const answer = await updates.checkNow();
    expect(answer).toEqual({
      type: 'error',
      title: 'Latchkey could not check for updates',
      message:
        'The update server could not be reached (ECONNREFUSED): there may be no network connection, or the server is down. Check your connection and try again.',
    });
    await vi.waitFor(() => expect(log.some((line) => line.includes('(ECONNREFUSED)'))).toBe(true));
  });
});

describe('describeUpdateError', () => {
  it.each([
    [new Error('getaddrinfo ENOTFOUND updates.latchkey.invalid'), /could not be reached \(ENOTFOUND\)/],
    [new Error('net::ERR_INTERNET_DISCONNECTED'), /could not be reached \(ERR_INTERNET_DISCONNECTED\)/],
    [new Error('HttpError: 404 Not Found\n"method: GET url: https://x/latest.yml"'), /answered HTTP 404/],
    [
      new Error('New version 0.2.0 is not signed by the application owner: publisherNames: Latchkey'),
      /refused because its signature could not be verified .*Nothing was installed/,
    ],
    ['something odd', /^something odd\. Try again later\.$/],
  ])('%s', (error, expected) => {
    expect(describeUpdateError(error)).toMatch(expected);
  });
});
