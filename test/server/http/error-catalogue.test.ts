// The error catalogue (contract/errors.ts) is the one place error codes are declared. The type
// check refuses a code that is not in it; this test reads every `new ApiError(` in server/ and
// checks what the type check cannot: that each names its code as a literal, with a status the
// catalogue gives that code, and that the catalogue holds no code the server never answers.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERRORS, type ErrorCode } from '../../../contract/errors.js';
import { ApiError, errors } from '../../../server/http/api-error.js';

const SERVER = join(import.meta.dirname, '..', '..', '..', 'server');

interface Construction {
  place: string;
  status: string;
  code: string;
}

function constructions(): Construction[] {
  const found: Construction[] = [];
  for (const file of readdirSync(SERVER, { recursive: true, encoding: 'utf8' })) {
    if (!file.endsWith('.ts')) continue;
    const source = readFileSync(join(SERVER, file), 'utf8');
    for (const match of source.matchAll(/new ApiError\(\s*([^,]+?)\s*,\s*([^,)]+?)\s*[,)]/g)) {
      const line = source.slice(0, match.index).split('\n').length;
      found.push({ place: `server/${file}:${line}`, status: match[1]!, code: match[2]! });
    }
  }
  return found;
}

describe('the error catalogue', () => {
  const all = constructions();

  it('is where every refusal in server/ takes its code, as a literal', () => {
    expect(all.length).toBeGreaterThan(20);
    const notLiteral = all.filter(({ code }) => !/^'[a-z_]+'$/.test(code)).map(({ place, code }) => `${place} ${code}`);
    expect(notLiteral).toEqual([]);
    const unknown = all.filter(({ code }) => !Object.hasOwn(ERRORS, code.slice(1, -1)));
    expect(unknown.map(({ place, code }) => `${place} ${code}`)).toEqual([]);
  });

  it('gives each refusal a status the catalogue lists for its code', () => {
    const wrong = all
      .filter(({ status }) => /^\d+$/.test(status))
      .filter(({ status, code }) => {
        const statuses: readonly number[] = ERRORS[code.slice(1, -1) as ErrorCode].statuses;
        return !statuses.includes(Number(status));
      })
      .map(({ place, status, code }) => `${place} ${status} ${code}`);
    expect(wrong).toEqual([]);
    // The two whose status is a variable: a security-key refusal (400 or 401, its parameter's type)
    // and a framework refusal that keeps its own 4xx (invalid_request).
    const variable = all.filter(({ status }) => !/^\d+$/.test(status)).map(({ code }) => code);
    expect(variable.sort()).toEqual(["'invalid_credential'", "'invalid_request'"]);
  });

  it('holds no code the server never answers', () => {
    const used = new Set(all.map(({ code }) => code.slice(1, -1)));
    expect(Object.keys(ERRORS).filter((code) => !used.has(code))).toEqual([]);
  });

  it("sends the catalogue's sentence unless a refusal names one of its own", () => {
    expect(new ApiError(409, 'two_factor_off').message).toBe(ERRORS.two_factor_off.message);
    expect(errors.invalidTicket().message).toBe(ERRORS.invalid_ticket.message);
    expect(errors.tooManyAttempts(90).message).toBe('Too many failed attempts. Try again in 2 minutes.');
    expect(errors.storageUnavailable().retryAfterSeconds).toBe(5);
  });
});
