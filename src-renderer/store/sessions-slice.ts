import type { Session } from '../api/types.js';
import type { SliceContext } from './app-store.js';
import { loadList } from './load-list.js';

export interface SessionsState {
  /** Where the account is signed in, newest first; null until loaded. */
  items: Session[] | null;
  loading: boolean;
  error: string | null;
  load(): Promise<void>;
  /** Signs one other session out; its next request is refused. */
  end(id: string): Promise<void>;
  /** Signs out every session but this one; the number ended. */
  endOthers(): Promise<number>;
  reset(): void;
}

export interface SessionsSlice {
  sessions: SessionsState;
}

export function createSessionsSlice({ api, update, sessionsChanged }: SliceContext): SessionsSlice {
  return {
    sessions: {
      items: null,
      loading: false,
      error: null,

      load() {
        return loadList(update, 'sessions', async () => (await api.sessions()).sessions);
      },

      async end(id) {
        await api.endSession(id);
        await sessionsChanged();
      },

      async endOthers() {
        const { ended } = await api.endOtherSessions();
        await sessionsChanged();
        return ended;
      },

      reset() {
        update('sessions', { items: null, loading: false, error: null });
      },
    },
  };
}
