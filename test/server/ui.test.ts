// Serving the built User Center (server/ui.ts) over real HTTP: caching, content types, the SPA
// fallback, path traversal, and the placeholder when no build exists.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveInside } from '../../server/ui.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const INDEX = '<!doctype html><title>Latchkey</title><script type="module" src="/assets/index-abc123.js"></script>';

describe('the built User Center', () => {
  let server: TestServer;
  let parent: string;

  beforeAll(async () => {
    parent = mkdtempSync(join(tmpdir(), 'latchkey-ui-'));
    const uiDir = join(parent, 'renderer');
    mkdirSync(join(uiDir, 'assets'), { recursive: true });
    writeFileSync(join(uiDir, 'index.html'), INDEX);
    writeFileSync(join(uiDir, 'assets', 'index-abc123.js'), 'console.log("hi");');
    writeFileSync(join(uiDir, 'assets', 'index-abc123.css'), 'body{}');
    writeFileSync(join(uiDir, 'assets', '.hidden'), 'no');
    writeFileSync(join(parent, 'secret.txt'), 'outside the UI folder');
    writeFileSync(join(uiDir, 'secret.txt'), 'beside index.html, not an asset');
    server = await startTestServer({ args: ['--ui-dir', uiDir] });
  });
  afterAll(async () => {
    await server.close();
    rmSync(parent, { recursive: true, force: true });
  });

  it('serves index.html at / uncached, with the CSP and an ETag that answers 304', async () => {
    const client = server.client();
    const response = await client.get('/');
    expect(response.status).toBe(200);
    expect(response.text).toBe(INDEX);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.headers['cache-control']).toBe('no-cache');
    expect(response.headers['content-security-policy']).toMatch(/script-src 'self'/);
    expect(response.headers['content-security-policy']).toMatch(/style-src 'self'/);
    const etag = String(response.headers.etag);
    expect(etag).toMatch(/^".+"$/);
    const again = await client.get('/', { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
  });

  it('serves hashed assets for a year, immutable, with their content type', async () => {
    const client = server.client();
    const script = await client.get('/assets/index-abc123.js');
    expect(script.status).toBe(200);
    expect(script.text).toBe('console.log("hi");');
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(script.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const style = await client.get('/assets/index-abc123.css');
    expect(style.headers['content-type']).toBe('text/css; charset=utf-8');
  });

  it("answers the page's own paths with index.html, but never the API's or a missing asset", async () => {
    const client = server.client();
    const page = await client.get('/settings/security?tab=1');
    expect(page.status).toBe(200);
    expect(page.text).toBe(INDEX);
    expect(page.headers['cache-control']).toBe('no-cache');

    // However the API's path is spelled, it is the API's JSON 404, never the page, never cached.
    for (const path of ['/api/v1/nope', '/%61pi/v1/nope', '/%61%70%69', '/api']) {
      const api = await client.get(path);
      expect(api.status, path).toBe(404);
      expect(api.json.error.code).toBe('not_found');
      expect(api.headers['content-type']).toMatch(/application\/json/);
      expect(api.headers['cache-control']).toBe('no-store');
    }

    const asset = await client.get('/assets/missing-123.js');
    expect(asset.status).toBe(404);
    expect(asset.json.error.code).toBe('not_found');

    const post = await client.post('/settings/security', {});
    expect(post.status).toBe(404);
  });

  it('never serves a file outside the assets folder or a hidden one', async () => {
    const client = server.client();
    for (const path of [
      '/assets/../secret.txt',
      '/assets/../../secret.txt',
      '/assets/%2e%2e/secret.txt',
      '/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
      '/assets/..%5csecret.txt',
      '/assets/.hidden',
      '/assets/%00index-abc123.js',
      '/assets/',
    ]) {
      const response = await client.get(path);
      expect(response.text, path).not.toMatch(/outside the UI folder|beside index.html|^no$/);
      expect([400, 404], path).toContain(response.status);
    }
  });

  it('resolves URL paths only inside the root', () => {
    const root = join(tmpdir(), 'root');
    expect(resolveInside(root, 'a/b.js')).toBe(join(root, 'a', 'b.js'));
    expect(resolveInside(root, '../x')).toBeNull();
    expect(resolveInside(root, 'a/../../x')).toBeNull();
    expect(resolveInside(root, 'a\\..\\x')).toBeNull();
    expect(resolveInside(root, '.env')).toBeNull();
    expect(resolveInside(root, 'a//b')).toBeNull();
    expect(resolveInside(root, '')).toBeNull();
  });
});

describe('without a build', () => {
  it('keeps the placeholder page that names the API', async () => {
    const server = await startTestServer({ args: ['--ui-dir', join(tmpdir(), 'latchkey-no-such-ui')] });
    try {
      const response = await server.client().get('/');
      expect(response.status).toBe(200);
      expect(response.text).toMatch(/\/api\/v1/);
      expect((await server.client().get('/settings/security')).status).toBe(404);
    } finally {
      await server.close();
    }
  });
});
