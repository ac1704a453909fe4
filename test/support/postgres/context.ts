// What the globalSetup (global-setup.ts) hands every test file through vitest's provide/inject.
export type PostgresTestContext =
  | {
      available: true;
      /** A superuser URL: tests create and drop databases through it. */
      adminUrl: string;
      /** A migrated database that each test's fresh database is copied from. */
      template: string;
      /** Set when this run started its own cluster: its TLS and password set-up can be tested. */
      privateCluster: {
        port: number;
        caFile: string;
        passwordRole: { user: string; password: string };
      } | null;
    }
  | { available: false; reason: string };

declare module 'vitest' {
  export interface ProvidedContext {
    postgres: PostgresTestContext;
  }
}
