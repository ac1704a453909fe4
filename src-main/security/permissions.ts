// Every web permission is refused except what the User Center needs (docs/desktop.md "One
// hardened window"; Electron security checklist item 5). The User Center needs exactly one:
// writing text to the clipboard for its "Copy" buttons (the secret key and the backup codes),
// which Chromium asks for as "clipboard-sanitized-write". Reading the clipboard, notifications
// (the preload bridge shows OS notifications instead), media, geolocation, HID/USB/serial and
// the rest stay refused. WebAuthn is not a permission: the OS prompts for it.
import { originOf } from './origin.js';

export const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set(['clipboard-sanitized-write']);

export function isPermissionAllowed(permission: string, requestingUrl: string, serverOrigin: string): boolean {
  return ALLOWED_PERMISSIONS.has(permission) && originOf(requestingUrl) === serverOrigin;
}

/** The part of Electron's Session the handlers are installed on (faked in the unit tests). */
export interface PermissionSession {
  setPermissionRequestHandler(
    handler: (
      contents: unknown,
      permission: string,
      callback: (granted: boolean) => void,
      details: { requestingUrl?: string },
    ) => void,
  ): void;
  setPermissionCheckHandler(
    handler: (contents: unknown, permission: string, requestingOrigin: string, details: unknown) => boolean,
  ): void;
  setDevicePermissionHandler(handler: (details: unknown) => boolean): void;
}

export function installPermissionHandlers(session: PermissionSession, serverOrigin: () => string): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    callback(isPermissionAllowed(permission, details.requestingUrl ?? '', serverOrigin()));
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) =>
    isPermissionAllowed(permission, requestingOrigin, serverOrigin()),
  );
  // WebHID, WebUSB and Web Serial: no device is ever handed to the page.
  session.setDevicePermissionHandler(() => false);
}
