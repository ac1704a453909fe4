// The baseline of the PostgreSQL /me rows: a bare Fastify route that does what GET /api/v1/me
// needs of the database and nothing else — the bearer token's SHA-256, then the same two
// statements as the server (the session with its account, then the factor counts; the SQL is
// imported from the built server) through a pg.Pool of the server's default size. No hooks, no
// plugins, no logger, no session rules: what Fastify and the pg driver themselves cost here.
// Usage: node bench/pg-baseline-server.mjs PORT DATABASE_URL
import { hash } from 'node:crypto';
import Fastify from 'fastify';
import pg from 'pg';
import { POSTGRES_DEFAULTS } from '../build/server/db/postgres-config.js';
import { sessionWithAccountQuery } from '../build/server/modules/sessions/rows.js';
import { FACTOR_COUNTS_QUERY } from '../build/server/modules/two-factor/pg-repository.js';

const port = Number(process.argv[2] ?? 0);
const pool = new pg.Pool({ connectionString: process.argv[3], max: POSTGRES_DEFAULTS.poolSize });
const SESSION_WITH_ACCOUNT = sessionWithAccountQuery('$1');

const app = Fastify({ logger: false });
app.get('/api/v1/me', async (request, reply) => {
  const token = (request.headers.authorization ?? '').replace(/^Bearer /, '');
  const tokenHash = hash('sha256', token, 'buffer');
  const session = (await pool.query(SESSION_WITH_ACCOUNT, [tokenHash])).rows[0];
  if (!session) return reply.code(401).send({ error: { code: 'unauthenticated' } });
  const factors = (await pool.query(FACTOR_COUNTS_QUERY, [session.user_id])).rows[0];
  return {
    user: { id: Number(session.user_id), username: session.username, createdAt: Number(session.created_at) },
    twoFactor: {
      totp: factors.totp,
      securityKeys: Number(factors.security_keys),
      backupCodesRemaining: Number(factors.backup_codes),
    },
  };
});
await app.listen({ host: '127.0.0.1', port });
process.stdout.write(`pg baseline listening on ${app.server.address().port}\n`);
process.once('SIGTERM', () =>
  app
    .close()
    .then(() => pool.end())
    .then(() => process.exit(0)),
);
