import { useEffect } from 'react';
import { Link, navigate, ROUTES } from '../../app/router.js';
import { usePageHeading } from '../../app/use-page-heading.js';
import { Button } from '../../components/Button.js';
import { FormError } from '../../components/FormError.js';
import { useAsyncAction } from '../../components/use-async-action.js';
import { useAppStore } from '../../store/store-context.js';
import { ActivitySection } from './activity/ActivitySection.js';
import { BackupCodesSection } from './backup-codes/BackupCodesSection.js';
import { SecurityCheckup } from './checkup/SecurityCheckup.js';
import { PasswordSection } from './password/PasswordSection.js';
import { SecurityKeysSection } from './security-keys/SecurityKeysSection.js';
import { SessionsSection } from './sessions/SessionsSection.js';
import { TwoFactorSection } from './two-factor/TwoFactorSection.js';

export function SecurityPage() {
  const headingRef = usePageHeading('Security');
  const refresh = useAppStore((state) => state.twoFactor.refresh);
  const signOut = useAppStore((state) => state.session.signOut);
  // A deliberate sign-out starts the next person at the start page; an ended session (the
  // store's sessionEnded) keeps the address, so signing in again returns here.
  const signOutAction = useAsyncAction(async () => {
    await signOut();
    navigate(ROUTES.home);
  });

  // Fresh two-factor state each visit (a backup code may have been used elsewhere).
  useEffect(() => {
    void refresh().catch(() => undefined);
  }, [refresh]);

  return (
    <div className="settings-layout">
      <nav className="settings-nav" aria-label="Settings">
        <p className="settings-nav-title">Settings</p>
        <ul>
          <li>
            <Link to={ROUTES.security} aria-current="page">
              Security
            </Link>
          </li>
        </ul>
      </nav>
      <div className="settings-content">
        <nav aria-label="Breadcrumb" className="breadcrumb">
          <ol>
            <li>
              <Link to={ROUTES.home}>Account</Link>
            </li>
            <li>Settings</li>
            <li aria-current="page">Security</li>
          </ol>
        </nav>
        <h1 ref={headingRef} tabIndex={-1}>
          Security
        </h1>
        <SecurityCheckup />
        <PasswordSection />
        <TwoFactorSection />
        <SecurityKeysSection />
        <BackupCodesSection />
        <SessionsSection />
        <ActivitySection />
        <section className="card" aria-labelledby="sign-out-heading">
          <h2 id="sign-out-heading">Sign out</h2>
          <p>Sign out of Latchkey in this window. Your settings stay as they are.</p>
          <FormError message={signOutAction.error} />
          <div className="button-row">
            <Button onClick={() => void signOutAction.run()} busy={signOutAction.pending} busyLabel="Signing out…">
              Sign out
            </Button>
          </div>
        </section>
      </div>
    </div>
  );
}
