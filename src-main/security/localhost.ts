// `localhost` inside the app resolves to 127.0.0.1 only: the address the bundled server always
// holds and checks its health on (server/supervisor.ts). Without this Chromium resolves it to both
// ::1 and 127.0.0.1 and may try ::1 first, where another local process could listen on the same,
// predictable port and be handed the password, the restored session cookie, WebAuthn for RP ID
// "localhost" and the preload bridge (SECURITY.md "Another local program at the bundled server's
// address"). The origin stays http://localhost:PORT, so WebAuthn's RP ID is unchanged. The rule is
// Chromium's --host-resolver-rules switch, which the whole app's network stack (window, ses.fetch)
// obeys.

/** Chromium's rule: the exact host `localhost`, mapped to the IPv4 loopback address. */
export const LOCALHOST_RESOLVER_RULES = 'MAP localhost 127.0.0.1';

export interface CommandLine {
  appendSwitch(name: string, value?: string): void;
}

/** Must run before Electron's `ready`: the network service reads its switches at start. */
export function pinLocalhost(commandLine: CommandLine): void {
  // Reviewed (test/main/security/electronegativity.test.ts): maps only `localhost`, to loopback.
  commandLine.appendSwitch('host-resolver-rules', LOCALHOST_RESOLVER_RULES); // eng-disable CUSTOM_ARGUMENTS_JS_CHECK
}
