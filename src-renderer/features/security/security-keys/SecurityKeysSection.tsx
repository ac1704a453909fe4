import { useEffect, useRef, useState } from 'react';
import type { SecurityKey } from '../../../api/types.js';
import { Button } from '../../../components/Button.js';
import { FormError } from '../../../components/FormError.js';
import { webAuthnSupported } from '../../../platform/webauthn.js';
import { useAppStore } from '../../../store/store-context.js';
import { AddSecurityKeyDialog } from './AddSecurityKeyDialog.js';
import { withSignedOutElsewhere } from '../sessions/session-words.js';
import { RemoveSecurityKeyDialog } from './RemoveSecurityKeyDialog.js';
import { RenameSecurityKeyDialog } from './RenameSecurityKeyDialog.js';
import { SecurityKeyItem } from './SecurityKeyItem.js';

type OpenDialog = { kind: 'rename' | 'remove'; key: SecurityKey } | null;

export const NO_WEBAUTHN_MESSAGE =
  "This browser can't use security keys. Open Latchkey in a current version of Chrome, Edge, Safari or Firefox to add one.";

export function SecurityKeysSection() {
  const items = useAppStore((state) => state.securityKeys.items);
  const loading = useAppStore((state) => state.securityKeys.loading);
  const error = useAppStore((state) => state.securityKeys.error);
  const load = useAppStore((state) => state.securityKeys.load);
  const adding = useAppStore((state) => state.securityKeys.registration !== null);
  const openRegistration = useAppStore((state) => state.securityKeys.openRegistration);
  const [dialog, setDialog] = useState<OpenDialog>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [testError, setTestError] = useState<string | null>(null);
  const [supported] = useState(webAuthnSupported);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const fallbackFocus = () => headingRef.current;

  useEffect(() => {
    void load();
  }, [load]);

  const open = (next: OpenDialog) => {
    setMessage(null);
    setTestError(null);
    setDialog(next);
  };

  return (
    <section className="card" aria-labelledby="security-keys-heading" aria-busy={loading && items === null}>
      <h2 id="security-keys-heading" ref={headingRef} tabIndex={-1}>
        Security keys
      </h2>
      <p>
        A USB security key or this device's fingerprint reader can stand in for the 6-digit code when you sign in.
        {items?.some((key) => key.passkey) &&
          ' A key marked Passkey can also sign you in on its own, with “Sign in with a passkey”, without your password.'}
      </p>
      <FormError message={error ?? testError} />
      {items === null ? (
        loading && <p>Loading security keys…</p>
      ) : items.length === 0 ? (
        <p>No security keys yet.</p>
      ) : (
        <ul className="key-list" aria-label="Your security keys">
          {items.map((key) => (
            <SecurityKeyItem
              key={key.id}
              securityKey={key}
              onRename={() => open({ kind: 'rename', key })}
              onRemove={() => open({ kind: 'remove', key })}
              onTested={(sentence, ok) => {
                setMessage(ok ? sentence : null);
                setTestError(ok ? null : sentence);
              }}
            />
          ))}
        </ul>
      )}
      <p role="status" className="section-status live-slot">
        {message}
      </p>
      <div className="button-row">
        <Button
          variant={items?.length ? 'secondary' : 'primary'}
          disabled={!supported}
          aria-describedby={supported ? undefined : 'security-keys-unsupported'}
          onClick={() => {
            setMessage(null);
            openRegistration();
          }}
        >
          Add security key
        </Button>
      </div>
      {!supported && (
        <p id="security-keys-unsupported" className="field-hint">
          {NO_WEBAUTHN_MESSAGE}
        </p>
      )}
      {adding && (
        <AddSecurityKeyDialog fallbackFocus={fallbackFocus} onAdded={(key) => setMessage(`Added “${key.name}”.`)} />
      )}
      {dialog?.kind === 'rename' && (
        <RenameSecurityKeyDialog
          securityKey={dialog.key}
          fallbackFocus={fallbackFocus}
          onClose={() => setDialog(null)}
          onRenamed={(key) => {
            setDialog(null);
            setMessage(`Renamed to “${key.name}”.`);
          }}
        />
      )}
      {dialog?.kind === 'remove' && (
        <RemoveSecurityKeyDialog
          securityKey={dialog.key}
          fallbackFocus={fallbackFocus}
          onClose={() => setDialog(null)}
          onRemoved={(stillOn, signedOut) => {
            setDialog(null);
            setMessage(
              withSignedOutElsewhere(
                stillOn
                  ? `Removed “${dialog.key.name}”. It no longer signs you in.`
                  : `Removed “${dialog.key.name}”. Two-factor authentication is off, and your backup codes no longer work.`,
                signedOut,
              ),
            );
          }}
        />
      )}
    </section>
  );
}
