// The User Center's one zustand store, made of typed slices: session (who is signed in, the
// second-factor step), twoFactor (state, enrolment, fresh backup codes), securityKeys (the list,
// adding one), events (recent security activity), sessions (where the account is signed in) and
// password (changing it). Components read it through the hooks in store-context.tsx; only the
// slices talk to the API.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { LatchkeyApi } from '../api/latchkey-api.js';
import { createEventsSlice, type EventsSlice } from './events-slice.js';
import { createPasswordSlice, type PasswordSlice } from './password-slice.js';
import { createSecurityKeysSlice, type SecurityKeysSlice } from './security-keys-slice.js';
import { createSessionSlice, type SessionSlice } from './session-slice.js';
import { createSessionsSlice, type SessionsSlice } from './sessions-slice.js';
import { createTwoFactorSlice, type TwoFactorSlice } from './two-factor-slice.js';

export type AppState = SessionSlice & TwoFactorSlice & SecurityKeysSlice & EventsSlice & SessionsSlice & PasswordSlice;
export type AppStore = StoreApi<AppState>;

export interface SliceContext {
  api: LatchkeyApi;
  get: () => AppState;
  /** Merges `patch` into one slice. */
  update: <K extends keyof AppState>(slice: K, patch: Partial<AppState[K]>) => void;
  /**
   * After any change to the account's factors: reads the two-factor state and the keys again,
   * and the activity list when it is on screen, so every section shows what the server now holds.
   */
  accountChanged: () => Promise<void>;
  /** After a change that ended sessions: the session list, and the activity list when on screen. */
  sessionsChanged: () => Promise<void>;
}

export function createAppStore(api: LatchkeyApi): AppStore {
  const store = createStore<AppState>()((set, get) => {
    const context: SliceContext = {
      api,
      get,
      update: (slice, patch) => set((state) => ({ [slice]: { ...state[slice], ...patch } }) as Partial<AppState>),
      accountChanged: async () => {
        await Promise.all([
          get().securityKeys.load(),
          get()
            .twoFactor.refresh()
            .catch(() => undefined),
        ]);
        // Lists on screen are read again: a change may have ended other sessions, too.
        await Promise.all([
          get().events.items ? get().events.load() : undefined,
          get().sessions.items ? get().sessions.load() : undefined,
        ]);
      },
      sessionsChanged: async () => {
        await Promise.all([get().sessions.load(), get().events.items ? get().events.load() : undefined]);
      },
    };
    return {
      ...createSessionSlice(context),
      ...createTwoFactorSlice(context),
      ...createSecurityKeysSlice(context),
      ...createEventsSlice(context),
      ...createSessionsSlice(context),
      ...createPasswordSlice(context),
    };
  });
  // A 401 `unauthenticated` from any call means the session ended on the server (idle or
  // absolute timeout, signed out elsewhere): back to Sign in with a short explanation.
  api.onUnauthenticated(() => store.getState().session.sessionEnded());
  return store;
}
