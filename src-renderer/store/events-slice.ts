import { ApiError } from '../api/api-error.js';
import type { SecurityEvent } from '../api/types.js';
import type { SliceContext } from './app-store.js';

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

      async load() {
        update('events', { loading: true, error: null });
        try {
          const { events } = await api.events();
          update('events', { items: events, loading: false });
        } catch (error) {
          update('events', { loading: false, error: ApiError.from(error).message });
        }
      },

      reset() {
        update('events', { items: null, loading: false, error: null });
      },
    },
  };
}
