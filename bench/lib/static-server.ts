// A minimal static file server on 127.0.0.1 for the pages the benchmark loads that the Latchkey
// server does not serve: the blank Vite React baseline and the WebAuthn recording page.
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
};

export interface StaticServer {
  origin: string;
  close(): Promise<void>;
}

/** Serves `folder` (unknown paths get index.html, as a single-page app expects). */
export async function serveStatic(folder: string, port: number): Promise<StaticServer> {
  const server: Server = createServer((request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname));
    const file = join(folder, path.endsWith('/') ? `${path}index.html` : path);
    const send = (body: Buffer, name: string) => {
      response.writeHead(200, { 'content-type': TYPES[extname(name)] ?? 'application/octet-stream' });
      response.end(body);
    };
    readFile(file).then(
      (body) => send(body, file),
      () =>
        readFile(join(folder, 'index.html')).then(
          (body) => send(body, 'index.html'),
          () => response.writeHead(404).end(),
        ),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const address = server.address();
  const bound = typeof address === 'object' && address ? address.port : port;
  return {
    origin: `http://localhost:${bound}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
