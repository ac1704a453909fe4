import { ApiError } from '../api/api-error.js';
import type { Session } from '../api/types.js';
import type { SliceContext } from './app-store.js';

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

export function createSessionsSlice({ api, get, update }: SliceContext): SessionsSlice {
  const reloadAfterChange = async () => {
    await Promise.all([get().sessions.load(), get().events.items ? get().events.load() : undefined]);
  };
  return {
    sessions: {
      items: null,
      loading: false,
      error: null,

      async load() {
        update('sessions', { loading: true, error: null });
        try {
          const { sessions } = await api.sessions();
          update('sessions', { items: sessions, loading: false });
        } catch (error) {
          update('sessions', { loading: false, error: ApiError.from(error).message });
        }
      },

      async end(id) {
        await api.endSession(id);
        await reloadAfterChange();
      },

      async endOthers() {
        const { ended } = await api.endOtherSessions();
        await reloadAfterChange();
        return ended;
      },

      reset() {
        update('sessions', { items: null, loading: false, error: null });
      },
    },
  };
}
