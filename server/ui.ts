// The page at `/`. Until the User Center is built into --ui-dir, a short page names the API.
import type { FastifyInstance } from 'fastify';

const PLACEHOLDER = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Latchkey</title></head>
<body><h1>Latchkey</h1>
<p>This is the Latchkey auth server. The JSON API lives under <code>/api/v1</code>;
its description is at <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>.</p>
</body></html>`;

export function userCenterRoutes(app: FastifyInstance): void {
  app.get('/', { schema: { hide: true } }, async (_request, reply) =>
    reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(PLACEHOLDER),
  );
}
