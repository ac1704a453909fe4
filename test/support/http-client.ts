// A small HTTP client over node:http for tests: real sockets to loopback (127.0.0.1 or ::1), full control of the
// Host and Origin headers (fetch forbids setting Host), and a one-cookie jar for the session.
import { request as httpRequest } from 'node:http';

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
}

export interface RequestOptions {
  json?: unknown;
  rawBody?: string | Buffer;
  headers?: Record<string, string>;
  /** Leave out the Origin header that the client adds to state-changing requests. */
  noOrigin?: boolean;
  /** Do not send the session cookie. */
  noCookie?: boolean;
}

export class TestClient {
  sessionCookie: string | null = null;

  readonly port: number;

  /**
   * `port` is where the server listens, by default the origin's own port; `address` is where the
   * socket connects (the server holds 127.0.0.1 and ::1 alike on loopback).
   */
  constructor(
    readonly origin: string,
    port?: number,
    readonly address = '127.0.0.1',
  ) {
    this.port = port ?? Number(new URL(origin).port);
  }

  get(path: string, options: RequestOptions = {}): Promise<HttpResponse> {
    return this.send('GET', path, options);
  }

  post(path: string, json?: unknown, options: RequestOptions = {}): Promise<HttpResponse> {
    return this.send('POST', path, { ...options, json });
  }

  patch(path: string, json?: unknown, options: RequestOptions = {}): Promise<HttpResponse> {
    return this.send('PATCH', path, { ...options, json });
  }

  delete(path: string, json?: unknown, options: RequestOptions = {}): Promise<HttpResponse> {
    return this.send('DELETE', path, { ...options, json });
  }

  send(method: string, path: string, options: RequestOptions = {}): Promise<HttpResponse> {
    const headers: Record<string, string> = { host: `localhost:${this.port}` };
    let payload: Buffer | undefined;
    if (options.json !== undefined) {
      payload = Buffer.from(JSON.stringify(options.json));
      headers['content-type'] = 'application/json';
    } else if (options.rawBody !== undefined) {
      payload = Buffer.isBuffer(options.rawBody) ? options.rawBody : Buffer.from(options.rawBody);
    }
    if (method !== 'GET' && !options.noOrigin) headers.origin = this.origin;
    if (this.sessionCookie && !options.noCookie) headers.cookie = `latchkey_session=${this.sessionCookie}`;
    Object.assign(headers, options.headers);
    if (payload) headers['content-length'] = String(payload.length);
    return new Promise((resolve, reject) => {
      const req = httpRequest({ host: this.address, port: this.port, method, path, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          this.keepCookie(res.headers['set-cookie']);
          let json: unknown = undefined;
          try {
            json = text ? JSON.parse(text) : undefined;
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      });
      req.on('error', reject);
      if (payload) req.write(payload);
      req.end();
    });
  }

  private keepCookie(setCookie: string[] | undefined): void {
    for (const line of setCookie ?? []) {
      const match = /^latchkey_session=([^;]*)/.exec(line);
      if (!match) continue;
      this.sessionCookie = match[1] && !/Max-Age=0/i.test(line) ? match[1] : null;
    }
  }
}
