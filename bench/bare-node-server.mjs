// The baseline of the server-ready row: the least a Node HTTP server does before its first
// answer — start Node, listen, answer 200. No framework, no database, no data folder.
// Usage: node bench/bare-node-server.mjs PORT
import { createServer } from 'node:http';

const server = createServer((_request, response) => {
  response.writeHead(200, { 'content-type': 'application/json' });
  response.end('{"status":"ok"}');
});
server.listen(Number(process.argv[2] ?? 0), '127.0.0.1');
process.once('SIGTERM', () => server.close(() => process.exit(0)));
