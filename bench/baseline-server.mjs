// The baseline of every HTTP row: a bare Fastify server, in its own process, whose one route
// answers a fixed JSON body. No hooks, no plugins, no logger: what Fastify itself costs here.
// Usage: node bench/baseline-server.mjs PORT
import Fastify from 'fastify';

const port = Number(process.argv[2] ?? 0);
const app = Fastify({ logger: false });
app.get('/', async () => ({ hello: 'world' }));
await app.listen({ host: '127.0.0.1', port });
process.stdout.write(`baseline listening on ${app.server.address().port}\n`);
process.once('SIGTERM', () => app.close().then(() => process.exit(0)));
