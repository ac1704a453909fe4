import { useRef, useState } from 'react';
import { Button } from '../../../components/Button.js';
import { withSignedOutElsewhere } from '../sessions/session-words.js';
import { ChangePasswordDialog } from './ChangePasswordDialog.js';

export function PasswordSection() {
  const [changing, setChanging] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);

  return (
    <section className="card" aria-labelledby="password-heading">
      <h2 id="password-heading" ref={headingRef} tabIndex={-1}>
        Password
      </h2>
      <p>Change your password if it may be known to someone else. Every other place you are signed in is signed out.</p>
      <p role="status" className="section-status live-slot">
        {message}
      </p>
      <div className="button-row">
        <Button
          onClick={() => {
            setMessage(null);
            setChanging(true);
          }}
        >
          Change password
        </Button>
      </div>
      {changing && (
        <ChangePasswordDialog
          fallbackFocus={() => headingRef.current}
          onClose={() => setChanging(false)}
          onChanged={(ended) => {
            setChanging(false);
            setMessage(withSignedOutElsewhere('Your password is changed.', ended));
          }}
        />
      )}
    </section>
  );
}
