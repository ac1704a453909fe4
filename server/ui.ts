// The User Center at `/`: the Vite build (default: build/renderer beside build/server; --ui-dir
// overrides). Hashed files under /assets/ are cached for a year (their name changes with their
// content); index.html is revalidated on every load, so a new build reaches people at once. Any
// other GET outside /api/ answers index.html, so the page's own paths (/settings/security)
// survive a reload. A missing build keeps the small placeholder page that names the API.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

const PLACEHOLDER = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Latchkey</title></head>
<body><h1>Latchkey</h1>
<p>This is the Latchkey auth server. The JSON API lives under <code>/api/v1</code>;
its description is at <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>.</p>
</body></html>`;

/** build/server/ui.js → build/renderer (the layout `npm run build` and the installers use). */
export const DEFAULT_UI_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'renderer');

const IMMUTABLE = 'public, max-age=31536000, immutable';

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
};

export function contentTypeFor(file: string): string {
  return CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * The file under `root` that the URL path `relative` names, or null when it names none or tries
 * to leave `root` (`..`, encoded separators, hidden files, NUL).
 */
export function resolveInside(root: string, relative: string): string | null {
  if (relative === '' || relative.includes('\0') || relative.includes('\\')) return null;
  const segments = relative.split('/');
  if (segments.some((segment) => segment === '' || segment.startsWith('.'))) return null;
  const base = resolve(root);
  const target = resolve(base, ...segments);
  return target.startsWith(base + sep) ? target : null;
}

export function userCenterRoutes(app: FastifyInstance, uiDir: string = DEFAULT_UI_DIR): void {
  const indexFile = join(uiDir, 'index.html');
  if (!existsSync(indexFile)) {
    app.get('/', { schema: { hide: true } }, async (_request, reply) =>
      reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(PLACEHOLDER),
    );
    return;
  }
  const assetsDir = join(uiDir, 'assets');
  let index = loadIndex(indexFile);

  const sendIndex = async (request: FastifyRequest, reply: FastifyReply) => {
    // A rebuilt UI (npm run build while the server runs) is picked up without a restart.
    const mtimeMs = statSync(indexFile, { throwIfNoEntry: false })?.mtimeMs;
    if (mtimeMs !== undefined && mtimeMs !== index.mtimeMs) index = loadIndex(indexFile);
    reply.header('cache-control', 'no-cache').header('etag', index.etag).type('text/html; charset=utf-8');
    if (request.headers['if-none-match'] === index.etag) return reply.code(304).send();
    return reply.send(index.body);
  };

  app.get('/', { schema: { hide: true } }, sendIndex);

  app.get<{ Params: { '*': string } }>('/assets/*', { schema: { hide: true } }, async (request, reply) => {
    const file = resolveInside(assetsDir, request.params['*']);
    const body = file ? await readFile(file).catch(() => null) : null;
    if (!file || !body) return reply.callNotFound();
    return reply.header('cache-control', IMMUTABLE).type(contentTypeFor(file)).send(body);
  });

  // The page's own paths (history API): index.html for GETs outside /api/ and /assets/. The
  // API keeps its JSON 404, however the path is spelled: the router's decoded path decides
  // (`/%61pi/v1/x` is `/api/v1/x`), not the raw URL.
  app.get<{ Params: { '*': string } }>('/*', { schema: { hide: true } }, async (request, reply) => {
    const path = request.params['*'];
    if (path === 'api' || path.startsWith('api/')) return reply.callNotFound();
    return sendIndex(request, reply);
  });
}

function loadIndex(file: string): { body: Buffer; etag: string; mtimeMs: number } {
  const body = readFileSync(file);
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
  return { body, etag, mtimeMs: statSync(file).mtimeMs };
}
