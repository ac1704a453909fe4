// The pure parts of the load plan: which accounts the one-account and two-step rows use, how
// single-use tickets and connections are shared out, and the command-line options.
import { describe, expect, it, vi } from 'vitest';
import { requestSource, twoStepAccounts } from '../../bench/lib/http-scenarios.js';
import { runAllotment, shareOf, splitConnections } from '../../bench/lib/load-protocol.js';
import { parseBenchOptions, PORTS_USED, PROFILES } from '../../bench/lib/options.js';
import { PORT } from '../../bench/lib/bench-run.js';
import { hasTwoFactor, twoFactorCount } from '../../bench/lib/population.js';

const usernameOf = (body: string | undefined) => (JSON.parse(body!) as { username: string }).username;

describe('accounts the rows use', () => {
  it('puts every one-account sign-in on one account, and the spread row on four', () => {
    const one = requestSource('password-one-account', 1000);
    const four = requestSource('password-four-accounts', 1000);
    const oneNames = new Set(Array.from({ length: 40 }, (_, i) => usernameOf(one.request(i).body)));
    const fourNames = Array.from({ length: 40 }, (_, i) => usernameOf(four.request(i).body));
    expect(oneNames.size).toBe(1);
    expect(new Set(fourNames).size).toBe(4);
    // Four in a row (what four connections have in flight) are four different accounts.
    expect(new Set(fourNames.slice(8, 12)).size).toBe(4);
    for (const name of [...oneNames, ...fourNames]) expect(hasTwoFactor(Number(name.slice(4)))).toBe(false);
  });

  it('takes two-factor accounts in turn for two-step sign-ins and notes a turn shorter than a TOTP step', () => {
    vi.useFakeTimers({ now: 1_700_000_000_000, toFake: ['Date'] });
    try {
      const accounts = 100; // 10 two-factor accounts
      const turn = twoStepAccounts(accounts);
      const first = Array.from({ length: twoFactorCount(accounts) }, (_, k) => turn.account(k));
      expect(new Set(first).size).toBe(10);
      expect(first.every(hasTwoFactor)).toBe(true);
      expect(turn.shortfall()).toBeNull();
      // The next step: the same accounts again are fine.
      vi.setSystemTime(Date.now() + 30_000);
      for (let k = 10; k < 20; k++) turn.account(k);
      expect(turn.shortfall()).toBeNull();
      // Within that step once more: the server would refuse the codes.
      turn.account(20);
      expect(turn.shortfall()).toMatch(/all 10 two-factor accounts within one 30-second TOTP step/);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('sharing out', () => {
  it('gives each row its own part of the single-use tickets', () => {
    expect(shareOf(1000, undefined)).toEqual({ first: 0, capacity: 1000 });
    expect(shareOf(1001, { index: 0, of: 2 })).toEqual({ first: 0, capacity: 500 });
    expect(shareOf(1001, { index: 1, of: 2 })).toEqual({ first: 500, capacity: 500 });
    expect(shareOf(Infinity, { index: 1, of: 2 })).toEqual({ first: 0, capacity: Infinity });
    expect(runAllotment(500, 3)).toBe(125);
  });

  it('shares connections among instances, none without one', () => {
    expect(splitConnections(10, 1)).toEqual([10]);
    expect(splitConnections(10, 2)).toEqual([5, 5]);
    expect(splitConnections(5, 2)).toEqual([3, 2]);
    expect(splitConnections(1, 2)).toEqual([1, 1]);
  });
});

describe('options', () => {
  it('takes --update-docs, and --update-readme by its old name', () => {
    expect(parseBenchOptions(['--update-docs'], '/r')).toMatchObject({ updateDocs: true, peer: false, postgres: true });
    expect(parseBenchOptions(['--update-readme'], '/r')).toMatchObject({ updateDocs: true });
    expect(parseBenchOptions(['--peer', '--no-postgres', '--quick'], '/r')).toMatchObject({
      peer: true,
      postgres: false,
      quick: true,
      out: '/r/build/bench/bench-results.json',
    });
  });

  it('keeps every port the benchmark takes inside the range --port-base opens', () => {
    expect(Math.max(...Object.values(PORT))).toBeLessThan(PORTS_USED);
    expect(() => parseBenchOptions(['--port-base', String(65536 - PORTS_USED + 1)], '/r')).toThrow(/--port-base/);
    expect(parseBenchOptions(['--port-base', String(65536 - PORTS_USED)], '/r')).toMatchObject({
      portBase: 65536 - PORTS_USED,
    });
  });

  it('seeds enough two-factor accounts that a turn of two-step sign-ins outlasts a TOTP step', () => {
    // At up to 300 whole sign-ins a second (argon2id-bound; about 200 on two cores today).
    for (const profile of Object.values(PROFILES))
      expect(twoFactorCount(profile.peerAccounts) / 300).toBeGreaterThan(30);
  });
});
