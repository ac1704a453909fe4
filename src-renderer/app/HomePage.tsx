import { BACKUP_CODE_COUNT } from '../../contract/values.js';
import { NoticeBanner } from '../components/NoticeBanner.js';
import { secondFactorSummary } from '../features/security/two-factor/second-factor-words.js';
import { useAppStore } from '../store/store-context.js';
import { Link, ROUTES } from './router.js';
import { usePageHeading } from './use-page-heading.js';

export function HomePage() {
  const headingRef = usePageHeading('Your account');
  const username = useAppStore((state) => state.session.username);
  const status = useAppStore((state) => state.twoFactor.status);
  const notice = useAppStore((state) => state.session.notice);
  const dismissNotice = useAppStore((state) => state.session.dismissNotice);

  return (
    <div className="page">
      <h1 ref={headingRef} tabIndex={-1}>
        Your account
      </h1>
      <NoticeBanner notice={notice} onDismiss={dismissNotice} />
      <section className="card" aria-labelledby="summary-heading">
        <h2 id="summary-heading">Signed in as {username}</h2>
        {status && (
          <p className="state-line">
            <span className={status.enabled ? 'badge badge-on' : 'badge badge-off'}>
              <span aria-hidden="true">{status.enabled ? '✓' : '–'}</span> Two-factor {status.enabled ? 'on' : 'off'}
            </span>
            <span>
              {status.enabled
                ? `${secondFactorSummary(status) ?? 'Second step'}. ${status.backupCodesRemaining} of ${BACKUP_CODE_COUNT} backup codes left.`
                : 'Your account is protected by your password alone.'}
            </span>
          </p>
        )}
        <p>
          <Link to={ROUTES.security}>Review your security settings</Link>
        </p>
      </section>
    </div>
  );
}
