// WebAuthn per OS (docs/desktop.md "What works where"):
// - Windows: Chromium hands every request to the OS (webauthn.dll), which shows its own prompts
//   for USB keys, their PINs and Windows Hello. Nothing to configure.
// - macOS: Touch ID works only after app.configureWebAuthn names the keychain access group the
//   credentials live in, `<TEAM_ID>.<BUNDLE_ID>.webauthn`, which must also be in the signed app's
//   keychain-access-groups entitlement (packaging/entitlements.mac.touch-id.plist), which only a
//   build with a provisioning profile carries. The team ID and the entitlement are read from the
//   app's own code signature; a build without them gets no Touch ID.
//   When several discoverable credentials match, Electron asks the app through the session's
//   'select-webauthn-account' event; without a listener such requests fail.
// - Linux: USB keys work through Chromium's own FIDO stack, but Electron has no dialog to ask a
//   key's PIN, so keys that need one can't be used; keys that only ask for a touch work.

export interface TouchIdOptions {
  keychainAccessGroup: string;
  promptReason?: string;
}

/** The part of Electron's App used here; configureWebAuthn exists on macOS builds only. */
export interface WebAuthnApp {
  configureWebAuthn?: (options: { touchID?: TouchIdOptions }) => void;
}

export type TouchIdSetup = { enabled: true; keychainAccessGroup: string } | { enabled: false; reason: string };

export function keychainAccessGroup(teamId: string, bundleId: string): string {
  return `${teamId}.${bundleId}.webauthn`;
}

export function configurePlatformAuthenticator(
  platform: NodeJS.Platform,
  app: WebAuthnApp,
  identity: { teamId: string | null; bundleId: string },
): TouchIdSetup {
  if (platform !== 'darwin') return { enabled: false, reason: 'Touch ID exists on macOS only.' };
  if (typeof app.configureWebAuthn !== 'function') {
    return { enabled: false, reason: 'This Electron has no app.configureWebAuthn.' };
  }
  if (identity.teamId === null) {
    return {
      enabled: false,
      reason:
        'This build is not signed with a team identity and the keychain access group its provisioning profile allows, so Touch ID is off.',
    };
  }
  const group = keychainAccessGroup(identity.teamId, identity.bundleId);
  app.configureWebAuthn({ touchID: { keychainAccessGroup: group, promptReason: 'sign in to $1 with Latchkey' } });
  return { enabled: true, keychainAccessGroup: group };
}

/**
 * The keychain access groups in a signature's entitlements, as `codesign -d --entitlements -
 * --xml` prints them (an XML property list): the strings of the `keychain-access-groups` array.
 */
export function parseKeychainAccessGroups(entitlementsXml: string): string[] {
  const array = /<key>keychain-access-groups<\/key>\s*<array>([\s\S]*?)<\/array>/.exec(entitlementsXml);
  if (!array) return [];
  return [...array[1]!.matchAll(/<string>([^<]*)<\/string>/g)].map((match) => match[1]!);
}

/** The team identifier in `codesign -dv --verbose=2` output, or null (unsigned or ad hoc). */
export function parseTeamIdentifier(codesignOutput: string): string | null {
  const match = /^TeamIdentifier=([A-Z0-9]{10})$/m.exec(codesignOutput);
  return match ? match[1]! : null;
}

export interface WebAuthnAccountChoice {
  credentialId: string;
  name?: string;
  displayName?: string;
}

export interface AccountSelectionSession {
  on(
    event: 'select-webauthn-account',
    listener: (
      event: { preventDefault(): void },
      details: { relyingPartyId: string; accounts: WebAuthnAccountChoice[]; frame: { url: string } | null },
      callback: (credentialId?: string | null) => void,
    ) => void,
  ): unknown;
}

/**
 * Answers 'select-webauthn-account' exactly once per request: the only account when there is
 * one, the person's pick otherwise, nothing (cancel) for a frame outside the server origin.
 */
export function handleAccountSelection(
  session: AccountSelectionSession,
  serverOrigin: () => string,
  choose: (accounts: WebAuthnAccountChoice[], relyingPartyId: string) => Promise<string | null>,
): void {
  session.on('select-webauthn-account', (event, details, callback) => {
    event.preventDefault();
    let answered = false;
    const answer = (credentialId: string | null) => {
      if (answered) return;
      answered = true;
      callback(credentialId);
    };
    const frameOrigin = details.frame ? safeOrigin(details.frame.url) : null;
    if (frameOrigin !== serverOrigin() || details.accounts.length === 0) return answer(null);
    if (details.accounts.length === 1) return answer(details.accounts[0]!.credentialId);
    choose(details.accounts, details.relyingPartyId)
      .then((picked) => answer(details.accounts.some((account) => account.credentialId === picked) ? picked : null))
      .catch(() => answer(null));
  });
}

function safeOrigin(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}
