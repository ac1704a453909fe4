import { ApiError } from '../api/api-error.js';
import type { AppState, SliceContext } from './app-store.js';

/** The slices that hold one list read from the server. */
type ListSliceName = {
  [K in keyof AppState]: AppState[K] extends { items: unknown; loading: boolean; error: string | null } ? K : never;
}[keyof AppState];

/** Reads a list slice's items: loading while it runs, then the items or the error's sentence. */
export async function loadList<K extends ListSliceName>(
  update: SliceContext['update'],
  slice: K,
  read: () => Promise<NonNullable<AppState[K]['items']>>,
): Promise<void> {
  update(slice, { loading: true, error: null } as Partial<AppState[K]>);
  try {
    const items = await read();
    update(slice, { items, loading: false } as Partial<AppState[K]>);
  } catch (error) {
    update(slice, { loading: false, error: ApiError.from(error).message } as Partial<AppState[K]>);
  }
}
