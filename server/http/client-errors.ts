// Requests node's HTTP parser refuses before any route or hook exists: oversized headers (431), a
// broken request line or header, conflicting Content-Length and Transfer-Encoding (400), and
// requests that outlast the request or headers timeout (408). Node hands us the socket
// ('clientError'); the answer is written by hand, in the error shape of docs/api.md "Errors" and
// with the security headers every response carries, and the connection is closed.
import type { Socket } from 'node:net';
import { errors, type ApiError } from './api-error.js';
import { http } from './node-http.js';
import { SECURITY_HEADERS } from './request-guards.js';

function refusalFor(code: string | undefined): ApiError {
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return errors.requestTimeout();
  if (code === 'HPE_HEADER_OVERFLOW') return errors.headersTooLarge();
  return errors.malformedHttp();
}

export function answerClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  // A connection reset: nobody is left to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  // A response under way (the request timed out while its answer was being written) cannot be
  // replaced by another; the socket just closes.
  const pending = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (socket.writable && !pending?.headersSent) {
    const refusal = refusalFor(error.code);
    const body = JSON.stringify({ error: { code: refusal.code, message: refusal.message } });
    const headers = {
      ...SECURITY_HEADERS,
      'content-type': 'application/json; charset=utf-8',
      'content-length': String(Buffer.byteLength(body)),
      connection: 'close',
    };
    const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
    socket.write(
      `HTTP/1.1 ${refusal.statusCode} ${http.STATUS_CODES[refusal.statusCode]}\r\n${lines.join('')}\r\n${body}`,
    );
  }
  socket.destroy();
}
