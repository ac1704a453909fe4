// The peer as a server of its own, in its own process like Latchkey's: better-auth's Node handler
// (better-auth/node, its documented way to serve on node:http) on a seeded SQLite file (see
// better-auth-config.ts for how it is set up to do Latchkey's work).
// Usage: node --import tsx bench/peer/server.ts DATABASE_FILE PORT
import { createServer } from 'node:http';
import { toNodeHandler } from 'better-auth/node';
import { createPeerAuth, openPeerDatabase } from './better-auth-config.js';

const [file, portText = '0'] = process.argv.slice(2);
if (!file) throw new Error('Usage: node --import tsx bench/peer/server.ts DATABASE_FILE PORT');
const db = openPeerDatabase(file);
let origin = `http://127.0.0.1:${portText}`;
const server = createServer((request, response) => handler(request, response));
await new Promise<void>((resolve) => server.listen(Number(portText), '127.0.0.1', resolve));
const address = server.address();
if (typeof address === 'object' && address) origin = `http://127.0.0.1:${address.port}`;
// Built once the port is known: better-auth checks request origins against its base URL.
const handler = toNodeHandler(createPeerAuth(db, origin));
process.stdout.write(`peer listening on ${origin}\n`);
process.once('SIGTERM', () => {
  server.close(() => {
    db.close();
    process.exit(0);
  });
  server.closeAllConnections();
});
