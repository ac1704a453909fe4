// The IT policy's settings are written once (src-main/settings/policy-schema.ts); everything IT
// reads or installs is held to that list here: the Group Policy template and its texts, the
// sample macOS profile, and the table in docs/deployment.md.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DOMParser } from '@xmldom/xmldom';
import { format } from 'prettier';
import { describe, expect, it } from 'vitest';
import { APP_ID } from '../../../src-main/app/identity.js';
import { parsePolicyValues } from '../../../src-main/settings/policy.js';
import {
  deprecatedName,
  POLICY_KEYS,
  POLICY_SETTINGS,
  REGISTRY_TYPES,
  type PolicySetting,
  type PolicyValueKind,
} from '../../../src-main/settings/policy-schema.js';
import { withoutProfileKeys } from '../../../src-main/settings/policy-sources.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const POLICY = join(ROOT, 'packaging', 'policy');

function xml(path: string) {
  const errors: string[] = [];
  const document = new DOMParser({
    errorHandler: { warning: () => undefined, error: (e) => errors.push(e), fatalError: (e) => errors.push(e) },
  }).parseFromString(readFileSync(path, 'utf8'), 'text/xml');
  expect(errors).toEqual([]);
  return document;
}

const elements = (parent: { getElementsByTagName(name: string): ArrayLike<Element> }, name: string) =>
  Array.from(parent.getElementsByTagName(name));
const children = (parent: Element) =>
  Array.from(parent.childNodes as ArrayLike<Node>).filter((node): node is Element => node.nodeType === 1);

describe('the Group Policy template (packaging/policy/latchkey.admx, en-US/latchkey.adml)', () => {
  const admx = xml(join(POLICY, 'latchkey.admx'));
  const adml = xml(join(POLICY, 'en-US', 'latchkey.adml'));
  const policies = elements(admx, 'policy');

  it('has one machine policy per setting, under HKLM\\Software\\Policies\\Latchkey', () => {
    expect(policies.map((policy) => policy.getAttribute('name'))).toEqual(POLICY_KEYS);
    for (const policy of policies) {
      expect(policy.getAttribute('class')).toBe('Machine');
      expect(policy.getAttribute('key')).toBe('Software\\Policies\\Latchkey');
    }
  });

  it('stores each setting under its own name, with the registry type the parser reads', () => {
    for (const policy of policies) {
      const key = policy.getAttribute('name') as keyof typeof POLICY_SETTINGS;
      const type = REGISTRY_TYPES[POLICY_SETTINGS[key].kind as PolicyValueKind];
      if (type === 'REG_DWORD') {
        // An on/off policy: enabled writes 1, disabled 0 (read as true and false).
        expect(policy.getAttribute('valueName')).toBe(key);
        expect(elements(policy, 'enabledValue')[0]?.getElementsByTagName('decimal')[0]?.getAttribute('value')).toBe(
          '1',
        );
        expect(elements(policy, 'disabledValue')[0]?.getElementsByTagName('decimal')[0]?.getAttribute('value')).toBe(
          '0',
        );
      } else {
        // A text box: a REG_SZ named after the setting.
        const texts = elements(policy, 'text');
        expect(texts.map((text) => text.getAttribute('valueName'))).toEqual([key]);
      }
    }
  });

  it('has every text and presentation it names in the .adml, and no unused one', () => {
    const source = readFileSync(join(POLICY, 'latchkey.admx'), 'utf8');
    const strings = new Set(elements(adml, 'string').map((string) => string.getAttribute('id')));
    const presentations = new Set(elements(adml, 'presentation').map((item) => item.getAttribute('id')));
    const usedStrings = [...source.matchAll(/\$\(string\.([^)]+)\)/g)].map((match) => match[1]);
    const usedPresentations = [...source.matchAll(/\$\(presentation\.([^)]+)\)/g)].map((match) => match[1]);
    expect(new Set(usedStrings)).toEqual(strings);
    expect(new Set(usedPresentations)).toEqual(presentations);
    for (const presentation of elements(adml, 'presentation')) {
      const boxes = elements(presentation, 'textBox').map((box) => box.getAttribute('refId'));
      expect(boxes).toEqual([presentation.getAttribute('id')]);
    }
  });
});

/** A plist value as JSON (dict, array, string, integer, true, false: what a profile uses). */
function plistValue(node: Element): unknown {
  switch (node.tagName) {
    case 'dict': {
      const entries: [string, unknown][] = [];
      const items = children(node);
      for (let i = 0; i < items.length; i += 2) entries.push([items[i]!.textContent ?? '', plistValue(items[i + 1]!)]);
      return Object.fromEntries(entries);
    }
    case 'array':
      return children(node).map(plistValue);
    case 'string':
      return node.textContent ?? '';
    case 'integer':
      return Number(node.textContent);
    case 'true':
      return true;
    case 'false':
      return false;
    default:
      throw new Error(`unexpected plist element <${node.tagName}>`);
  }
}

describe('the sample macOS profile (packaging/policy/org.latchkey.desktop.mobileconfig)', () => {
  const profile = plistValue(
    children(xml(join(POLICY, 'org.latchkey.desktop.mobileconfig')).documentElement!)[0]!,
  ) as Record<string, unknown>;

  it('is a system-scope configuration profile with one payload for the app id', () => {
    expect(profile).toMatchObject({ PayloadType: 'Configuration', PayloadScope: 'System', PayloadVersion: 1 });
    const payloads = profile.PayloadContent as Record<string, unknown>[];
    expect(payloads.map((payload) => payload.PayloadType)).toEqual([APP_ID]);
    expect(new Set([profile.PayloadUUID, payloads[0]!.PayloadUUID]).size).toBe(2);
  });

  it('sets every setting, each one valid for the parser the app uses', () => {
    const settings = withoutProfileKeys((profile.PayloadContent as Record<string, unknown>[])[0]!);
    expect(Object.keys(settings)).toEqual(POLICY_KEYS);
    const warnings: string[] = [];
    expect(Object.keys(parsePolicyValues(settings, warnings))).toEqual(POLICY_KEYS);
    expect(warnings).toEqual([]);
  });
});

const KIND_TYPES: Record<PolicyValueKind, string> = {
  'server-url': 'text (`REG_SZ`): an origin',
  boolean: 'true/false (`REG_DWORD` 1/0)',
  'https-url': 'text (`REG_SZ`): an https URL',
};

/** The table docs/deployment.md shows, as prettier lays it out. */
async function policyTable(): Promise<string> {
  const rows = POLICY_KEYS.map((key) => {
    const setting: PolicySetting = POLICY_SETTINGS[key];
    const old = deprecatedName(key);
    const name = old ? `\`${key}\` (formerly \`${old}\`)` : `\`${key}\``;
    return `| ${name} | ${KIND_TYPES[setting.kind]} | ${setting.default} | ${setting.summary} |`;
  });
  const table = ['| Setting | Type | Default | What it does |', '| --- | --- | --- | --- |', ...rows].join('\n');
  return (await format(table, { parser: 'markdown', filepath: 'x.md' })).trim();
}

describe('docs/deployment.md', () => {
  it('documents every setting once, in the table made from the schema', async () => {
    const doc = readFileSync(join(ROOT, 'docs', 'deployment.md'), 'utf8');
    const section = /<!-- policy-settings:start[^>]*-->\n([^]*?)\n<!-- policy-settings:end -->/.exec(doc);
    expect(section, 'docs/deployment.md has no policy-settings section').not.toBeNull();
    const table = await policyTable();
    expect(section![1]!.trim(), `the table must read:\n${table}`).toBe(table);
  });
});
