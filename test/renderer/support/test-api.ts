// The User Center's real API client (createLatchkeyApi, with its error mapping and 401 handling)
// against a real in-process server. What a browser adds by itself is added here, because the
// test DOM (happy-dom) does not: the Origin header on state-changing requests (a browser sends
// it, happy-dom leaves it out and the server's Origin check rightly refuses that) and the
// HttpOnly session cookie, kept in a one-cookie jar like the browser's.
import axios from 'axios';
import { createLatchkeyApi, type LatchkeyApi } from '../../../src-renderer/api/latchkey-api.js';
import { createAppStore, type AppStore } from '../../../src-renderer/store/app-store.js';
import { PASSWORD, type TestServer } from '../../support/test-server.js';

export interface TestApi {
  api: LatchkeyApi;
  /** The session cookie as the browser would hold it (never visible to the page). */
  cookie(): string | null;
}

export function apiFor(origin: string): TestApi {
  let cookie: string | null = null;
  const http = axios.create({
    adapter: 'http',
    baseURL: `${origin}/api/v1`,
    timeout: 15_000,
    headers: { Accept: 'application/json' },
  });
  http.interceptors.request.use((config) => {
    if (config.method && config.method.toUpperCase() !== 'GET') config.headers.set('Origin', origin);
    if (cookie) config.headers.set('Cookie', cookie);
    return config;
  });
  http.interceptors.response.use((response) => {
    for (const line of (response.headers['set-cookie'] as string[] | undefined) ?? []) {
      const pair = line.split(';')[0] ?? '';
      if (!pair.startsWith('latchkey_session=')) continue;
      cookie = pair === 'latchkey_session=' || /max-age=0|expires=thu, 01 jan 1970/i.test(line) ? null : pair;
    }
    return response;
  });
  return { api: createLatchkeyApi({ http }), cookie: () => cookie };
}

export function storeFor(server: TestServer): { store: AppStore; testApi: TestApi } {
  const testApi = apiFor(server.origin);
  return { store: createAppStore(testApi.api), testApi };
}

/** A store whose session has started and signed up `username` (password PASSWORD): signed in. */
export async function signedUpStore(server: TestServer, username = 'alice'): Promise<AppStore> {
  const { store } = storeFor(server);
  await store.getState().session.start();
  await store.getState().session.createAccount(username, PASSWORD);
  return store;
}
