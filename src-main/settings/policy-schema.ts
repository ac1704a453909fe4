// Every IT policy setting, written once: its value kind, its default and what it does. The
// parser (settings/policy.ts), the Windows Group Policy template (packaging/policy/*.admx, *.adml),
// the sample macOS profile (packaging/policy/org.latchkey.desktop.mobileconfig) and the table in
// docs/deployment.md "Policy settings" are all checked against it (test/main/settings/).

export type PolicyValueKind = 'server-url' | 'boolean' | 'https-url';

export interface PolicySetting {
  kind: PolicyValueKind;
  /** The default as a person reads it (Markdown). */
  default: string;
  /** What it does (Markdown, one or two sentences). */
  summary: string;
  /** An earlier name still read, with a warning in the log. */
  deprecatedName?: string;
}

export const POLICY_SETTINGS = {
  serverUrl: {
    kind: 'server-url',
    default: 'none: the bundled server',
    summary:
      'The server the app uses: an https origin (or `http://localhost:PORT`), nothing else. Empty (or `null` in JSON) pins the app to its bundled server.',
  },
  allowUserServerUrl: {
    kind: 'boolean',
    default: '`true`; `false` when `serverUrl` is set',
    summary: 'Whether people may choose another server in their own settings.',
    deprecatedName: 'allowUserServerChange',
  },
  securityNotifications: {
    kind: 'boolean',
    default: "`true`, or the person's choice",
    summary:
      'OS notifications when two-factor is turned off, a backup code is used, or a security key is added or removed.',
  },
  autoUpdate: {
    kind: 'boolean',
    default: '`true`',
    summary:
      'Whether Latchkey checks for, downloads and installs its own updates. `false` when IT deploys updates with its own tools; "Check for updates" then says so.',
  },
  updateUrl: {
    kind: 'https-url',
    default: "the build's feed (`publish.url` in electron-builder.yml)",
    summary:
      'The update feed: an https folder holding `latest.yml`, `latest-mac.yml`, `latest-linux.yml` and the installers.',
  },
} as const satisfies Record<string, PolicySetting>;

export type PolicyKey = keyof typeof POLICY_SETTINGS;

interface KindValue {
  'server-url': string | null;
  boolean: boolean;
  'https-url': string;
}

/** A valid policy: each setting IT set, with its parsed value. */
export type Policy = { -readonly [K in PolicyKey]?: KindValue[(typeof POLICY_SETTINGS)[K]['kind']] };

export const POLICY_KEYS = Object.keys(POLICY_SETTINGS) as PolicyKey[];

/** The earlier name of a setting, still read, if it had one. */
export function deprecatedName(key: PolicyKey): string | undefined {
  return (POLICY_SETTINGS[key] as PolicySetting).deprecatedName;
}

/** How each kind is stored where JSON has no type of its own. */
export const REGISTRY_TYPES: Readonly<Record<PolicyValueKind, 'REG_SZ' | 'REG_DWORD'>> = {
  'server-url': 'REG_SZ',
  boolean: 'REG_DWORD',
  'https-url': 'REG_SZ',
};
