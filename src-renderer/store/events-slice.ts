import type { SecurityEvent } from '../api/types.js';
import type { SliceContext } from './app-store.js';
import { loadList } from './load-list.js';

export interface EventsState {
  /** Newest first; null until loaded. */
  items: SecurityEvent[] | null;
  loading: boolean;
  error: string | null;
  load(): Promise<void>;
  reset(): void;
}

export interface EventsSlice {
  events: EventsState;
}

export function createEventsSlice({ api, update }: SliceContext): EventsSlice {
  return {
    events: {
      items: null,
      loading: false,
      error: null,

      load() {
        return loadList(update, 'events', async () => (await api.events()).events);
      },

      reset() {
        update('events', { items: null, loading: false, error: null });
      },
    },
  };
}
