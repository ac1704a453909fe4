// Every target of `npm run bench` in one place, each judged against a baseline measured in the
// same run (docs/performance.md says where each comes from and what bounds it).
import type { Target } from './report.js';

const atLeast = (value: number): Target => ({ kind: 'ratio-at-least', value });
const atMost = (value: number): Target => ({ kind: 'value-at-most', value });

export const TARGETS = {
  /** Process start → first 200 from /api/v1/health: a desktop launch that feels instant. */
  serverReadyMs: atMost(400),
  /** GET /me: half the bare route's rate at 10 connections, at most twice its CPU per request. */
  me: [atLeast(0.5), { kind: 'cpu-ratio-at-most', value: 2 } satisfies Target],
  /** The default log level costs /me at most 5 % of its rate. */
  logging: [atLeast(0.95)],
  /** Second-factor sign-in: half the lone durable-commit rate, at most 120 µs of CPU each. */
  secondFactor: [atLeast(0.5), { kind: 'cpu-at-most', ms: 0.12 } satisfies Target],
  /** Password sign-in: 80 % of what argon2id alone allows. */
  password: [atLeast(0.8)],
  /** Sign-ins of one account run in parallel: 4 connections on one account near 4 on four. */
  oneAccount: [atLeast(0.8)],
  /** Beside better-auth: session lookup, whole two-step sign-in, password sign-in. */
  peerSession: [atLeast(10)],
  peerTwoStep: [atLeast(2)],
  peerPassword: [atLeast(1.1)],
  /** The large database may slow a request by at most this factor. */
  growthMaxSlowdown: 1.2,
  /** Resident memory, idle (before and after the load). */
  memoryBytes: atMost(100e6),
  /** The User Center's JavaScript, gzip. */
  javascriptBytes: atMost(150e3),
};
