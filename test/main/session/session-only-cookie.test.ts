// The rewrite that keeps the session cookie out of Chromium's cookie file: a live
// `latchkey_session` loses its Expires and Max-Age (Chromium then holds it in memory only);
// deletions and every other cookie pass unchanged.
import { describe, expect, it } from 'vitest';
import {
  SESSION_COOKIE,
  sessionOnlyResponseHeaders,
  toSessionOnlyCookie,
} from '../../../src-main/session/session-only-cookie.js';

const NOW = Date.parse('2026-05-01T10:00:00Z');
const token = 'S'.repeat(43);

describe('toSessionOnlyCookie', () => {
  it.each([
    [`${SESSION_COOKIE}=${token}; Max-Age=3600; Path=/; HttpOnly; SameSite=Strict`, 3600],
    [`${SESSION_COOKIE}=${token}; Path=/; max-age=60; Expires=Fri, 01 May 2026 12:00:00 GMT; HttpOnly`, 60],
    [`${SESSION_COOKIE}=${token}; Expires=Fri, 01 May 2026 12:00:00 GMT; Path=/`, 7200],
  ])('makes %s session-only and keeps its lifetime', (header, seconds) => {
    const result = toSessionOnlyCookie(header, NOW);
    expect(result.header).not.toMatch(/max-age|expires/i);
    expect(result.header.startsWith(`${SESSION_COOKIE}=${token}`)).toBe(true);
    expect(result.issued).toEqual({ token, expires: NOW / 1000 + seconds });
  });

  it('keeps the other attributes, in order', () => {
    expect(
      toSessionOnlyCookie(`${SESSION_COOKIE}=${token}; Max-Age=10; Path=/; Secure; HttpOnly; SameSite=Strict`, NOW)
        .header,
    ).toBe(`${SESSION_COOKIE}=${token}; Path=/; Secure; HttpOnly; SameSite=Strict`);
  });

  it('passes a session cookie through, with no lifetime to keep', () => {
    expect(toSessionOnlyCookie(`${SESSION_COOKIE}=${token}; Path=/`, NOW)).toEqual({
      header: `${SESSION_COOKIE}=${token}; Path=/`,
      issued: { token },
    });
  });

  it.each([
    `${SESSION_COOKIE}=; Max-Age=0; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT`,
    `${SESSION_COOKIE}=${token}; Max-Age=0`,
    `${SESSION_COOKIE}=${token}; Max-Age=-5`,
    `${SESSION_COOKIE}=${token}; Expires=Thu, 01 Jan 1970 00:00:00 GMT`,
    'theme=dark; Max-Age=3600',
    `${SESSION_COOKIE}x=${token}; Max-Age=3600`,
    'no equals sign',
  ])('leaves %s as it is', (header) => {
    expect(toSessionOnlyCookie(header, NOW)).toEqual({ header, issued: null });
  });
});

describe('sessionOnlyResponseHeaders', () => {
  it('rewrites Set-Cookie in whatever case Electron hands it over, and nothing else', () => {
    const { headers, issued } = sessionOnlyResponseHeaders(
      {
        'Set-Cookie': [`${SESSION_COOKIE}=${token}; Max-Age=3600; Path=/`, 'theme=dark; Max-Age=5'],
        'content-type': ['application/json'],
      },
      NOW,
    );
    expect(headers).toEqual({
      'Set-Cookie': [`${SESSION_COOKIE}=${token}; Path=/`, 'theme=dark; Max-Age=5'],
      'content-type': ['application/json'],
    });
    expect(issued).toEqual([{ token, expires: NOW / 1000 + 3600 }]);
  });
});
