// Permission handlers and the desktop CSP, installed on a stand-in for Electron's Session (the
// Electron runtime is not available here; only the handler functions are exercised).
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../../server/http/request-guards.js';
import {
  installContentSecurityPolicy,
  type HeadersReceivedSource,
} from '../../../src-main/security/content-security-policy.js';
import {
  installPermissionHandlers,
  isPermissionAllowed,
  type PermissionSession,
} from '../../../src-main/security/permissions.js';

const ORIGIN = 'http://localhost:4812';

function fakeSession() {
  const handlers: {
    request?: Parameters<PermissionSession['setPermissionRequestHandler']>[0];
    check?: Parameters<PermissionSession['setPermissionCheckHandler']>[0];
    device?: Parameters<PermissionSession['setDevicePermissionHandler']>[0];
  } = {};
  const session: PermissionSession = {
    setPermissionRequestHandler: (handler) => (handlers.request = handler),
    setPermissionCheckHandler: (handler) => (handlers.check = handler),
    setDevicePermissionHandler: (handler) => (handlers.device = handler),
  };
  installPermissionHandlers(session, () => ORIGIN);
  const request = (permission: string, requestingUrl: string) => {
    let granted: boolean | undefined;
    handlers.request!({}, permission, (value) => (granted = value), { requestingUrl });
    return granted;
  };
  return { handlers, request };
}

describe('permissions', () => {
  it('grants only clipboard writing, only to the server origin', () => {
    const { request, handlers } = fakeSession();
    expect(request('clipboard-sanitized-write', `${ORIGIN}/settings`)).toBe(true);
    expect(request('clipboard-sanitized-write', 'https://evil.example/')).toBe(false);
    expect(handlers.check!({}, 'clipboard-sanitized-write', ORIGIN, {})).toBe(true);
    expect(handlers.check!({}, 'clipboard-sanitized-write', 'http://localhost:4813', {})).toBe(false);
  });

  it.each([
    'clipboard-read',
    'notifications',
    'media',
    'geolocation',
    'openExternal',
    'fullscreen',
    'pointerLock',
    'hid',
    'usb',
    'serial',
    'midi',
    'midiSysex',
    'display-capture',
    'idle-detection',
    'storage-access',
    'unknown',
  ])('refuses %s', (permission) => {
    const { request, handlers } = fakeSession();
    expect(request(permission, `${ORIGIN}/`)).toBe(false);
    expect(handlers.check!({}, permission, ORIGIN, {})).toBe(false);
    expect(isPermissionAllowed(permission, `${ORIGIN}/`, ORIGIN)).toBe(false);
  });

  it('hands no HID, USB or serial device to the page', () => {
    expect(fakeSession().handlers.device!({})).toBe(false);
  });
});

describe('the desktop Content-Security-Policy', () => {
  function install() {
    let listener: Parameters<HeadersReceivedSource['onHeadersReceived']>[0] | undefined;
    installContentSecurityPolicy({ onHeadersReceived: (handler) => (listener = handler) }, () => ORIGIN);
    return (url: string, responseHeaders: Record<string, string[]> = {}) => {
      let answer: { responseHeaders?: Record<string, string[]> } | undefined;
      listener!({ url, responseHeaders }, (response) => (answer = response));
      return answer!;
    };
  }

  it("is the server's own policy, added to every response from the server origin", () => {
    const respond = install();
    const answer = respond(`${ORIGIN}/`, { 'content-type': ['text/html'] });
    expect(answer.responseHeaders!['Content-Security-Policy']).toEqual([CONTENT_SECURITY_POLICY]);
    expect(answer.responseHeaders!['content-type']).toEqual(['text/html']);
  });

  it('leaves other responses alone', () => {
    expect(install()('https://example.com/')).toEqual({});
  });

  it("applies the other rewrites of the server's responses in the same listener", () => {
    let listener: Parameters<HeadersReceivedSource['onHeadersReceived']>[0] | undefined;
    installContentSecurityPolicy({ onHeadersReceived: (handler) => (listener = handler) }, () => ORIGIN, [
      (url, headers) => ({ ...headers, 'x-seen': [url] }),
    ]);
    let answer: { responseHeaders?: Record<string, string[]> } | undefined;
    listener!({ url: `${ORIGIN}/api/v1/session`, responseHeaders: { 'set-cookie': ['a=b'] } }, (r) => (answer = r));
    expect(answer!.responseHeaders).toEqual({
      'set-cookie': ['a=b'],
      'x-seen': [`${ORIGIN}/api/v1/session`],
      'Content-Security-Policy': [CONTENT_SECURITY_POLICY],
    });
  });
});
