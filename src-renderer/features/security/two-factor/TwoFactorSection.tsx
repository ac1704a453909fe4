import { useRef, useState } from 'react';
import { Button } from '../../../components/Button.js';
import { useAppStore } from '../../../store/store-context.js';
import { withSignedOutElsewhere } from '../sessions/session-words.js';
import { DisableTwoFactorDialog } from './DisableTwoFactorDialog.js';
import { EnableTwoFactorDialog } from './EnableTwoFactorDialog.js';
import { authenticatorAppAction, securityKeyCount } from './second-factor-words.js';

export function TwoFactorSection() {
  const status = useAppStore((state) => state.twoFactor.status);
  const enrolling = useAppStore((state) => state.twoFactor.enrolment !== null);
  const openEnrolment = useAppStore((state) => state.twoFactor.openEnrolment);
  const [disabling, setDisabling] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const fallbackFocus = () => headingRef.current;

  const on = status?.enabled === true;
  return (
    <section className="card" aria-labelledby="two-factor-heading">
      <h2 id="two-factor-heading" ref={headingRef} tabIndex={-1}>
        Two-factor authentication
      </h2>
      {status === null ? (
        <p role="status">Loading…</p>
      ) : (
        <>
          <p className="state-line">
            <span className={on ? 'badge badge-on' : 'badge badge-off'}>
              <span aria-hidden="true">{on ? '✓' : '–'}</span> {on ? 'On' : 'Off'}
            </span>
            <span>
              {on
                ? 'Signing in needs your password and a second step.'
                : 'Signing in needs only your password. Turn on two-factor authentication to protect your account.'}
            </span>
          </p>
          <dl className="facts">
            <div>
              <dt>Authenticator app</dt>
              <dd>{status.totp ? 'Set up' : 'Not set up'}</dd>
            </div>
            <div>
              <dt>Security keys</dt>
              <dd>{status.securityKeys > 0 ? securityKeyCount(status.securityKeys) : 'None'}</dd>
            </div>
          </dl>
          <p role="status" className="section-status live-slot">
            {message}
          </p>
          <div className="button-row">
            {status.totp ? (
              // Distinct keys: after the dialog, focus must not land on the opposite action that
              // took the opener's place, but on the section (the dialog's fallback).
              <Button
                key="disable"
                variant="danger"
                onClick={() => {
                  setMessage(null);
                  setDisabling(true);
                }}
              >
                {authenticatorAppAction(status)}
              </Button>
            ) : (
              <Button
                key="enable"
                variant={on ? 'secondary' : 'primary'}
                onClick={() => {
                  setMessage(null);
                  openEnrolment();
                }}
              >
                {authenticatorAppAction(status)}
              </Button>
            )}
          </div>
        </>
      )}
      {enrolling && (
        <EnableTwoFactorDialog
          fallbackFocus={fallbackFocus}
          onFinished={(keysBefore) =>
            setMessage(
              keysBefore
                ? 'Your authenticator app is set up. It works beside your security keys.'
                : 'Two-factor authentication is on. Keep your backup codes safe.',
            )
          }
        />
      )}
      {disabling && (
        <DisableTwoFactorDialog
          fallbackFocus={fallbackFocus}
          onClose={() => setDisabling(false)}
          onDisabled={(stillOn, signedOut) => {
            setDisabling(false);
            setMessage(
              withSignedOutElsewhere(
                stillOn
                  ? 'Your authenticator app is no longer used. Your security keys and backup codes still work.'
                  : 'Two-factor authentication is off. Your backup codes no longer work.',
                signedOut,
              ),
            );
          }}
        />
      )}
    </section>
  );
}
