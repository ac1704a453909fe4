// Code most launches never run is imported on its first use instead of at start-up
// (docs/performance.md "Server ready": every desktop launch waits for the server's start).
// The module is imported once; every caller after the first awaits the same import.

/** A loader that imports on its first call and hands every later call the same module. */
export function loadOnce<Module>(load: () => Promise<Module>): () => Promise<Module> {
  let loading: Promise<Module> | undefined;
  return () => {
    loading ??= load().catch((error: unknown) => {
      // A failed import (a file missing mid-upgrade) is tried again by the next caller.
      loading = undefined;
      throw error;
    });
    return loading;
  };
}
