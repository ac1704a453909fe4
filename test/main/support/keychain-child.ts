// Runs one step of the keychain tests against the real OS keychain through keytar, in its own
// process (the D-Bus session address is per process: support/with-keyring.sh sets it up).
// Prints one JSON line. Steps:
//   probe        the start-up probe
//   first-run    probe, create the server key, save a session the server "sets"
//   reopen       probe, read the server key, restore the session into a fresh cookie store
//   sign-out     restore, then the server clears the cookie
// The cookie store is the stand-in of support/fake-electron.ts (no Electron runtime here).
import { createHash, randomBytes } from 'node:crypto';
import { openKeychain } from '../../../src-main/keychain/keychain.js';
import { obtainServerKey } from '../../../src-main/keychain/server-secret-key.js';
import { CookieKeychainSync, SESSION_COOKIE } from '../../../src-main/session/cookie-keychain-sync.js';
import { FakeCookieJar } from './fake-electron.js';

const ORIGIN = 'http://localhost:4830';
const TOKEN = process.env.LATCHKEY_TEST_TOKEN ?? 'token-from-the-server';
const noFiles = {
  databaseExists: async () => process.env.LATCHKEY_TEST_DB_EXISTS === '1',
  readKeyFile: async () => null,
  removeKeyFile: async () => undefined,
};

async function main(step: string) {
  // The app's own path: keytar imported on first use, then the probe.
  const { store, availability: keychain } = await openKeychain(randomBytes(16).toString('hex'), undefined, 8000);
  if (step === 'probe' || !keychain.available) return { step, keychain };
  const serverKey = await obtainServerKey(store, keychain, noFiles, randomBytes);
  const keyDigest =
    serverKey.source === 'keychain' ? createHash('sha256').update(serverKey.key).digest('hex') : serverKey.source;
  const jar = new FakeCookieJar();
  const sync = new CookieKeychainSync({ jar, store, account: 'http://localhost', serverOrigin: () => ORIGIN });
  const restored = await sync.restore();
  sync.watch();
  // The server's Set-Cookie passes the app's rewrite before the cookie store takes it.
  const respond = (header: string) => {
    const headers = sync.responseHeaders(`${ORIGIN}/api/v1/session`, { 'set-cookie': [header] });
    for (const rewritten of headers['set-cookie'] ?? []) jar.applySetCookie(ORIGIN, rewritten);
  };
  if (step === 'first-run') respond(`${SESSION_COOKIE}=${TOKEN}; Max-Age=3600; Path=/; HttpOnly; SameSite=Strict`);
  if (step === 'sign-out') respond(`${SESSION_COOKIE}=; Max-Age=0; Path=/; HttpOnly; SameSite=Strict`);
  await sync.stop();
  return {
    step,
    keychain,
    keyDigest,
    restored,
    cookie: jar.value(ORIGIN, SESSION_COOKIE)?.value ?? null,
    persistentCookies: jar.persistent().length,
    stored: await store.get('http://localhost'),
  };
}

main(process.argv[2] ?? 'probe').then(
  (result) => process.stdout.write(`${JSON.stringify(result)}\n`),
  (error: Error) => {
    process.stdout.write(`${JSON.stringify({ error: error.message })}\n`);
    process.exitCode = 1;
  },
);
