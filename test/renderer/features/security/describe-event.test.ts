// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { SECURITY_EVENT_TYPES } from '../../../../server/modules/security-events/repository.js';
import {
  describeOrigin,
  describePlace,
  EVENT_LABELS,
  eventLabel,
  needsAttention,
} from '../../../../src-renderer/features/security/activity/describe-event.js';
import { describeUserAgent, deviceWords } from '../../../../src-renderer/lib/user-agent.js';

const CHROME_LINUX =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36';
const ELECTRON_WINDOWS =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) latchkey/0.1.0 Chrome/140.0.0.0 Electron/45.5.0 Safari/537.36';
const SAFARI_MAC =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15';
const FIREFOX_ANDROID = 'Mozilla/5.0 (Android 14; Mobile; rv:128.0) Gecko/128.0 Firefox/128.0';
const EDGE_WINDOWS =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 Edg/130.0.0.0';

describe('security events as a person reads them', () => {
  it('has words of its own for every event type the server records', () => {
    for (const type of SECURITY_EVENT_TYPES) expect(EVENT_LABELS[type], type).toMatch(/^[A-Z][a-z]/);
    expect(eventLabel('password_confirmation_failed')).toBe('Wrong password when confirming a change');
    expect(needsAttention('password_confirmation_failed')).toBe(true);
  });

  it('labels every event type of docs/api.md distinctly, in words', () => {
    const labels = SECURITY_EVENT_TYPES.map(eventLabel);
    expect(new Set(labels).size).toBe(SECURITY_EVENT_TYPES.length);
    for (const label of labels) expect(label).not.toMatch(/_/);
    expect(eventLabel('backup_code_used')).toBe('Backup code used');
  });

  it('turns an unknown type into words rather than hiding it', () => {
    expect(eventLabel('key_glowed_green')).toBe('Key glowed green');
    expect(eventLabel('')).toBe('Unknown event');
  });

  it('marks failures and turning protection off for attention', () => {
    expect(needsAttention('sign_in_failed')).toBe(true);
    expect(needsAttention('totp_disabled')).toBe(true);
    expect(needsAttention('signed_in')).toBe(false);
  });

  it('names the browser or app and the system', () => {
    expect(describeUserAgent(CHROME_LINUX)).toBe('Chrome on Linux');
    expect(describeUserAgent(ELECTRON_WINDOWS)).toBe('Latchkey desktop app on Windows');
    expect(describeUserAgent(SAFARI_MAC)).toBe('Safari on macOS');
    expect(describeUserAgent(FIREFOX_ANDROID)).toBe('Firefox on Android');
    expect(describeUserAgent(EDGE_WINDOWS)).toBe('Microsoft Edge on Windows');
    expect(describeUserAgent('curl/8.5.0')).toBeNull();
    expect(deviceWords(FIREFOX_ANDROID).kind).toBe('a phone');
    expect(deviceWords(ELECTRON_WINDOWS)).toEqual({
      browser: 'Latchkey desktop app',
      system: 'Windows',
      kind: 'a computer',
    });
    expect(describeUserAgent(null)).toBeNull();
  });

  it('words what an administrator did as done by one, and marks it for attention', () => {
    expect(eventLabel('two_factor_reset_by_admin')).toBe('Two-factor authentication reset by an administrator');
    expect(eventLabel('sessions_ended_by_admin')).toMatch(/by an administrator$/);
    expect(eventLabel('account_unlocked_by_admin')).toMatch(/by an administrator$/);
    expect(needsAttention('two_factor_reset_by_admin')).toBe(true);
    expect(describeOrigin({ type: 'sessions_ended_by_admin', ip: null, userAgent: null })).toBe(
      'By an administrator, not from your account',
    );
    expect(describeOrigin({ type: 'password_changed', ip: '::1', userAgent: null })).toBe('From this computer (::1)');
  });

  it('says where: this computer for loopback, the address otherwise', () => {
    expect(describePlace('127.0.0.1', CHROME_LINUX)).toBe('Chrome on Linux, from this computer (127.0.0.1)');
    expect(describePlace('::1', null)).toBe('From this computer (::1)');
    expect(describePlace('203.0.113.7', 'curl/8.5.0')).toBe('From 203.0.113.7');
    expect(describePlace(null, null)).toBe('From an unknown address');
  });
});
