import type { Notice } from '../store/session-slice.js';

/**
 * A message carried to the next screen (signed out, session ended). Screen readers hear it from
 * the app-wide LiveAnnouncer, which exists before the message does; this is the visible copy.
 */
export function NoticeBanner({ notice, onDismiss }: { notice: Notice | null; onDismiss: () => void }) {
  return (
    <div className="notice-region">
      {notice && (
        <div className={`notice notice-${notice.tone}`}>
          <span className="icon" aria-hidden="true">
            {notice.tone === 'warning' ? '!' : 'i'}
          </span>
          <p>{notice.message}</p>
          <button type="button" className="notice-dismiss" onClick={onDismiss} aria-label="Dismiss message">
            <span aria-hidden="true">×</span>
          </button>
        </div>
      )}
    </div>
  );
}
