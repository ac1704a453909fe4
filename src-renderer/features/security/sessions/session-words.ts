// A session of the list as a person reads it: the device and browser in words, the address, and
// how it was signed in. Every sign-in method the contract names has its words here.
import type { Session, SignInMethod } from '../../../api/types.js';
import { deviceWords } from '../../../lib/user-agent.js';
import { describeAddress } from '../activity/describe-event.js';

export const SIGN_IN_METHOD_WORDS: Record<SignInMethod, string> = {
  password: 'Password',
  totp: 'Password and authenticator app',
  backup_code: 'Password and backup code',
  security_key: 'Password and security key',
  passkey: 'Passkey',
};

/** "Chrome on Linux", or "An unknown browser" when the user agent says nothing we know. */
export function sessionDevice(session: Session): string {
  const { browser, system, kind } = deviceWords(session.userAgent);
  const name = browser && system ? `${browser} on ${system}` : (browser ?? system ?? 'An unknown browser');
  return kind ? `${name} (${kind.replace(/^an? /, '')})` : name;
}

export function sessionPlace(session: Session): string {
  return `From ${describeAddress(session.ip)}`;
}

export function signInMethodWords(method: Session['signInMethod']): string {
  return method ? SIGN_IN_METHOD_WORDS[method] : 'Sign-in method not recorded';
}

/** "2 other sessions were signed out." after a change that signed out everywhere else. */
export function signedOutElsewhereSentence(ended: number): string {
  if (ended === 0) return 'You were not signed in anywhere else.';
  return `${ended} other ${ended === 1 ? 'session was' : 'sessions were'} signed out.`;
}

/** A result sentence, with what signing out everywhere else did when it was asked for. */
export function withSignedOutElsewhere(sentence: string, ended: number | null): string {
  return ended === null ? sentence : `${sentence} ${signedOutElsewhereSentence(ended)}`;
}
