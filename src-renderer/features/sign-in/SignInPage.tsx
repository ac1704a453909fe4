import { useState } from 'react';
import { usePageHeading } from '../../app/use-page-heading.js';
import { NoticeBanner } from '../../components/NoticeBanner.js';
import { useAppStore } from '../../store/store-context.js';
import { CreateAccountForm } from './CreateAccountForm.js';
import { PasswordForm } from './PasswordForm.js';
import { SecondFactorForm } from './SecondFactorForm.js';

type Screen = 'sign_in' | 'create_account' | 'second_factor';

const HEADINGS: Record<Screen, string> = {
  sign_in: 'Sign in',
  create_account: 'Create account',
  second_factor: 'Two-step verification',
};

export function SignInPage() {
  const status = useAppStore((state) => state.session.status);
  const registrationOpen = useAppStore((state) => state.session.registrationOpen);
  const notice = useAppStore((state) => state.session.notice);
  const dismissNotice = useAppStore((state) => state.session.dismissNotice);
  const [creating, setCreating] = useState(false);
  const screen: Screen = status === 'second_factor' ? 'second_factor' : creating ? 'create_account' : 'sign_in';
  const headingRef = usePageHeading(HEADINGS[screen], { focus: false }); // the forms focus their first field

  return (
    <main className="auth-layout" id="main">
      <div className="auth-card">
        <p className="brand" aria-hidden="true">
          <span className="brand-mark">L</span> Latchkey
        </p>
        <h1 ref={headingRef} tabIndex={-1}>
          {HEADINGS[screen]}
        </h1>
        <NoticeBanner notice={notice} onDismiss={dismissNotice} />
        {screen === 'second_factor' && <SecondFactorForm />}
        {screen === 'create_account' && <CreateAccountForm onCancel={() => setCreating(false)} />}
        {screen === 'sign_in' && <PasswordForm onCreateAccount={registrationOpen ? () => setCreating(true) : null} />}
      </div>
    </main>
  );
}
