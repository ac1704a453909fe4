// GET /api/v1/openapi.json: the OpenAPI document @fastify/swagger writes from the routes' schemas.
// The plugin (and the YAML library it loads) is imported when the document is first asked for, not
// at every start (docs/performance.md "Server ready"): the routes are noted as they are added, and
// on the first request the plugin reads them on a Fastify instance of their own, which never
// listens and whose handlers never run. The document is built once and kept.
import Fastify, { type FastifyInstance, type RouteOptions } from 'fastify';
import { loadOnce } from '../platform/load-once.js';
import { compileOnFirstUse } from './schema-compilers.js';

export interface OpenApiInfo {
  title: string;
  version: string;
  description: string;
}

const SECURITY_SCHEMES = {
  sessionCookie: { type: 'apiKey', in: 'cookie', name: 'latchkey_session' },
  bearer: { type: 'http', scheme: 'bearer' },
} as const;

/** Call before any route is added: the document lists the routes added after it. */
export function serveOpenApiDocument(app: FastifyInstance, info: OpenApiInfo): void {
  const routes: RouteOptions[] = [];
  // HEAD routes are Fastify's own copies of GET routes, which the plugin leaves out of the document.
  app.addHook('onRoute', (route) => {
    if (route.method !== 'HEAD') routes.push(route);
  });
  const document = loadOnce(async () => {
    const { default: fastifySwagger } = await import('@fastify/swagger');
    const reader = Fastify({ schemaController: compileOnFirstUse });
    await reader.register(fastifySwagger, {
      openapi: { openapi: '3.1.0', info, components: { securitySchemes: SECURITY_SCHEMES } },
    });
    for (const { method, url, schema, config } of routes) {
      reader.route({ method, url, ...(schema ? { schema } : {}), ...(config ? { config } : {}), handler: unused });
    }
    await reader.ready();
    const built = reader.swagger();
    await reader.close();
    return built;
  });
  app.get('/api/v1/openapi.json', { schema: { hide: true } }, () => document());
}

function unused(): never {
  throw new Error('The OpenAPI reader never serves requests.');
}
