// node:http taken with require(), not `import`: importing a built-in as an ES module makes Node
// build its ES-module facade, which reads every export, and node:http's fetch and WebSocket
// getters then load undici — about 50 ms of every start on Node 24 (docs/performance.md
// "Server ready"), for code the server never uses. Types are imported as usual (`import type`).
import { createRequire } from 'node:module';
import type * as NodeHttp from 'node:http';

export const http = createRequire(import.meta.url)('node:http') as typeof NodeHttp;
