import { useEffect } from 'react';
import { Button } from '../components/Button.js';
import { LiveAnnouncer } from '../components/LiveAnnouncer.js';
import { KeychainNotice } from '../features/desktop/KeychainNotice.js';
import { LowBackupCodesPrompt } from '../features/security/backup-codes/LowBackupCodesPrompt.js';
import { SecurityPage } from '../features/security/SecurityPage.js';
import { SignInPage } from '../features/sign-in/SignInPage.js';
import { useAppStore } from '../store/store-context.js';
import { AppHeader } from './AppHeader.js';
import { HomePage } from './HomePage.js';
import { Link, ROUTES, usePathname } from './router.js';
import { usePageHeading } from './use-page-heading.js';

export function App() {
  const status = useAppStore((state) => state.session.status);
  const notice = useAppStore((state) => state.session.notice);
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <LiveAnnouncer message={notice?.message ?? null} />
      <KeychainNotice />
      {status === 'loading' && <Loading />}
      {status === 'unavailable' && <Unavailable />}
      {(status === 'signed_out' || status === 'second_factor') && <SignInPage />}
      {status === 'signed_in' && <SignedIn />}
    </>
  );
}

function SignedIn() {
  const pathname = usePathname();
  useSessionCheckOnReturn();
  return (
    <div className="app-shell">
      <AppHeader />
      <main id="main" className="app-main">
        {pathname === ROUTES.security ? <SecurityPage /> : pathname === ROUTES.home ? <HomePage /> : <NotFound />}
      </main>
      <LowBackupCodesPrompt />
    </div>
  );
}

/**
 * When the person comes back to the window, ask the server whether the session still lives: an
 * ended one (idle timeout) answers 401 and the store sends them to Sign in. No polling: that
 * would keep an idle session alive forever.
 */
function useSessionCheckOnReturn() {
  const refresh = useAppStore((state) => state.twoFactor.refresh);
  useEffect(() => {
    const onVisible = () => {
      if (document.visibilityState === 'visible') void refresh().catch(() => undefined);
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => document.removeEventListener('visibilitychange', onVisible);
  }, [refresh]);
}

function Loading() {
  return (
    <main id="main" className="auth-layout" aria-busy="true">
      <p role="status" className="loading">
        <span className="spinner" aria-hidden="true" /> Loading Latchkey…
      </p>
    </main>
  );
}

function Unavailable() {
  const startError = useAppStore((state) => state.session.startError);
  const start = useAppStore((state) => state.session.start);
  const headingRef = usePageHeading('Latchkey is not reachable');
  return (
    <main id="main" className="auth-layout">
      <div className="auth-card stack">
        <h1 ref={headingRef} tabIndex={-1}>
          Latchkey is not reachable
        </h1>
        <p role="alert">{startError}</p>
        <Button variant="primary" onClick={() => void start()}>
          Try again
        </Button>
      </div>
    </main>
  );
}

function NotFound() {
  const headingRef = usePageHeading('Page not found');
  return (
    <div className="page">
      <h1 ref={headingRef} tabIndex={-1}>
        Page not found
      </h1>
      <p>
        There is nothing at this address. <Link to={ROUTES.home}>Go to your account</Link>.
      </p>
    </div>
  );
}
