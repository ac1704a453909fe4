#!/usr/bin/env node
// `npm run admin -- COMMAND [options]` (cli.ts). Files it could create are private to the user,
// as the server's are.
import { runAdmin } from './cli.js';

process.umask(0o077);
runAdmin(process.argv.slice(2), process.env, {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
}).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`latchkey-admin: ${(error as Error).message}\n`);
    process.exit(1);
  },
);
