// The IT policy: one parser for every place IT can set it (settings/policy-sources.ts reads the
// Windows registry, macOS managed preferences and the policy files, and hands their values
// here). An IT department sets it with administrator rights; the app only reads it. A policy
// that exists but can't be read or isn't valid is reported as such and stops the app from
// connecting anywhere (settings/effective-settings.ts): silently ignoring it could bypass what
// IT decided. The settings are described once, in settings/policy-schema.ts.
import { parseServerOrigin, ServerUrlError } from '../security/origin.js';
import {
  deprecatedName,
  POLICY_KEYS,
  POLICY_SETTINGS,
  type Policy,
  type PolicyKey,
  type PolicyValueKind,
} from './policy-schema.js';

export type { Policy } from './policy-schema.js';

export type PolicyResult =
  | { kind: 'none'; source: string }
  | { kind: 'valid'; source: string; policy: Policy; warnings: string[] }
  | { kind: 'invalid'; source: string; error: string };

const KNOWN = POLICY_KEYS.join(', ');

function parseValue(key: PolicyKey, kind: PolicyValueKind, value: unknown): string | boolean | null {
  switch (kind) {
    case 'boolean':
      if (typeof value !== 'boolean') {
        throw new Error(`${key} must be true or false (in the registry: a REG_DWORD of 1 or 0)`);
      }
      return value;
    case 'server-url':
      if (value === null || value === '') return null;
      if (typeof value !== 'string')
        throw new Error(`${key} must be a string (empty, or null, for the bundled server)`);
      try {
        return parseServerOrigin(value);
      } catch (error) {
        if (error instanceof ServerUrlError) throw new Error(`${key} ${error.message}`);
        throw error;
      }
    case 'https-url':
      if (typeof value !== 'string') throw new Error(`${key} must be a string`);
      return parseHttpsUrl(key, value);
  }
}

/** An https URL without credentials, query or fragment (a feed folder: a path is allowed). */
export function parseHttpsUrl(key: string, raw: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new Error(`${key} "${raw}" is not a URL; use one such as https://updates.example.com/latchkey`);
  }
  if (url.protocol !== 'https:') throw new Error(`${key} "${raw}" must use https`);
  if (url.username || url.password || url.search || url.hash) {
    throw new Error(`${key} "${raw}" must have no user name, password, query or fragment`);
  }
  return url.href.replace(/\/$/, '');
}

/**
 * Validates the settings of a policy, wherever they came from; throws an Error whose message
 * names the problem. `warnings` receives a sentence for each deprecated name used.
 */
export function parsePolicyValues(entries: Readonly<Record<string, unknown>>, warnings: string[] = []): Policy {
  const values: Record<string, unknown> = { ...entries };
  for (const key of POLICY_KEYS) {
    const old = deprecatedName(key);
    if (old === undefined || !(old in values)) continue;
    if (key in values) throw new Error(`it sets both ${key} and its old name ${old}; keep only ${key}`);
    values[key] = values[old];
    delete values[old];
    warnings.push(`the policy setting ${old} is deprecated: rename it ${key}`);
  }
  const unknownKeys = Object.keys(values).filter((key) => !(key in POLICY_SETTINGS));
  if (unknownKeys.length > 0) {
    throw new Error(
      `it has unknown setting(s) ${unknownKeys.map((key) => `"${key}"`).join(', ')}; the known ones are ${KNOWN}`,
    );
  }
  const policy: Record<string, unknown> = {};
  for (const key of POLICY_KEYS) {
    if (key in values) policy[key] = parseValue(key, POLICY_SETTINGS[key].kind, values[key]);
  }
  return policy as Policy;
}

/** A policy file's text: one JSON object of settings. */
export function parsePolicyJson(text: string, warnings: string[] = []): Policy {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new Error(`it is not valid JSON (${(error as Error).message})`);
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw new Error('it must hold one JSON object, such as {"serverUrl": "https://id.example.com"}');
  }
  return parsePolicyValues(document as Record<string, unknown>, warnings);
}

/** The result for settings read from `source`, invalid with a sentence when they don't parse. */
export function policyResult(source: string, read: (warnings: string[]) => Policy): PolicyResult {
  const warnings: string[] = [];
  try {
    return { kind: 'valid', source, policy: read(warnings), warnings };
  } catch (error) {
    return { kind: 'invalid', source, error: `The IT policy in ${source} is invalid: ${(error as Error).message}.` };
  }
}
