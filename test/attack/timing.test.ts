// SECURITY.md "Someone probing which usernames exist": an unknown user is answered exactly as a
// wrong password — same status, same body, same time (docs/api.md "Attempt limits"). Timing is
// measured over real HTTP as an attacker would: many samples, the two kinds interleaved in seeded
// random order so that machine load hits both alike, compared by the median of paired differences.
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpResponse } from '../support/http-client.js';
import { signedInClient, startTestServer, type TestServer } from '../support/test-server.js';
import { scaled, SEED, seededRandom, timeLimit } from './support/scale.js';

/** "Within a few milliseconds": the largest median gap allowed between the two answers. */
const TOLERANCE_MS = 3;
const WARM_UP = 8;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

async function timed(request: () => Promise<HttpResponse>): Promise<{ ms: number; response: HttpResponse }> {
  const started = performance.now();
  const response = await request();
  return { ms: performance.now() - started, response };
}

describe('unknown user versus wrong password', { timeout: timeLimit(120_000) }, () => {
  let server: TestServer;

  beforeAll(async () => {
    // No lockout during the measurement: every sample must reach the password check.
    server = await startTestServer({
      configure: (config) => ({ ...config, limits: { ...config.limits, accountThreshold: 1_000_000 } }),
    });
    await signedInClient(server, 'alice');
  });
  afterAll(() => server.close());

  /** Paired samples of two requests, in seeded random order within each pair. */
  async function pairs(
    count: number,
    first: (index: number) => Promise<HttpResponse>,
    second: (index: number) => Promise<HttpResponse>,
  ) {
    const random = seededRandom(SEED);
    const differences: number[] = [];
    const responses: Array<[HttpResponse, HttpResponse]> = [];
    for (let index = 0; index < count + WARM_UP; index += 1) {
      let a;
      let b;
      if (random() < 0.5) {
        a = await timed(() => first(index));
        b = await timed(() => second(index));
      } else {
        b = await timed(() => second(index));
        a = await timed(() => first(index));
      }
      if (index >= WARM_UP) differences.push(a.ms - b.ms);
      responses.push([a.response, b.response]);
    }
    return { gap: median(differences), responses };
  }

  it('gives the same status, body and headers, and the same time within a few milliseconds', async () => {
    const client = server.client();
    // On a loaded machine one series can be skewed by a burst of other work; a real difference
    // (a missing dummy hash costs the whole hash, several times the tolerance) shows in every
    // series. So: up to three series, and one within the tolerance is enough.
    const gaps: number[] = [];
    for (let series = 0; series < 3 && !gaps.some((gap) => Math.abs(gap) < TOLERANCE_MS); series += 1) {
      const { gap, responses } = await pairs(
        scaled(80, 800),
        (index) =>
          client.post('/api/v1/session', { username: `ghost-${series}-${index}`, password: `wrong password ${index}` }),
        (index) => client.post('/api/v1/session', { username: 'alice', password: `wrong password ${index}` }),
      );
      for (const [unknown, wrong] of responses) {
        expect(unknown.status).toBe(401);
        expect(unknown.text).toBe(wrong.text);
        expect(unknown.headers['content-type']).toBe(wrong.headers['content-type']);
        expect(unknown.headers['set-cookie']).toBe(wrong.headers['set-cookie']);
      }
      gaps.push(gap);
    }
    const gapsText = gaps.map((gap) => gap.toFixed(2)).join(', ');
    expect(Math.min(...gaps.map(Math.abs)), `median gaps ${gapsText} ms`).toBeLessThan(TOLERANCE_MS);
  });

  it('would notice a missing hash: the same measurement tells a hashed from an unhashed refusal', async () => {
    // The control that shows the measurement has the power to fail: a password too short to be
    // hashed (docs/api.md "Passwords": never hashed, for anyone) against a wrong one that is hashed.
    const client = server.client();
    const { gap, responses } = await pairs(
      scaled(20, 200),
      (index) => client.post('/api/v1/session', { username: `ghost-${index}`, password: 'short' }),
      (index) => client.post('/api/v1/session', { username: 'alice', password: `wrong password ${index}` }),
    );
    for (const [short, wrong] of responses) expect(short.text).toBe(wrong.text);
    expect(-gap, `median gap ${gap.toFixed(2)} ms`).toBeGreaterThan(TOLERANCE_MS);
  });
});
