import { useEffect } from 'react';
import { Button } from '../../../components/Button.js';
import { FormError } from '../../../components/FormError.js';
import { formatDateTime } from '../../../lib/time.js';
import { useAppStore } from '../../../store/store-context.js';
import { describeOrigin, eventLabel, needsAttention } from './describe-event.js';

export function ActivitySection() {
  const items = useAppStore((state) => state.events.items);
  const loading = useAppStore((state) => state.events.loading);
  const error = useAppStore((state) => state.events.error);
  const load = useAppStore((state) => state.events.load);

  useEffect(() => {
    void load();
  }, [load]);

  return (
    <section className="card" aria-labelledby="activity-heading" aria-busy={loading}>
      <div className="section-header">
        <h2 id="activity-heading">Recent security activity</h2>
        <Button variant="quiet" onClick={() => void load()} busy={loading} busyLabel="Refreshing…">
          Refresh
        </Button>
      </div>
      <FormError message={error} />
      {items === null ? (
        loading && <p>Loading activity…</p>
      ) : items.length === 0 ? (
        <p>No security activity yet.</p>
      ) : (
        <ol className="activity" aria-label="Security events, newest first">
          {items.map((event, index) => (
            <li key={`${event.at}-${event.type}-${index}`} className={needsAttention(event.type) ? 'attention' : ''}>
              <p className="activity-label">
                {needsAttention(event.type) && (
                  <span className="icon" aria-hidden="true">
                    !
                  </span>
                )}
                {eventLabel(event.type)}
              </p>
              <p className="activity-meta">
                <time dateTime={event.at}>{formatDateTime(event.at)}</time>
                <span aria-hidden="true"> · </span>
                <span>{describeOrigin(event)}</span>
              </p>
            </li>
          ))}
        </ol>
      )}
      <p className="field-hint">
        Don't recognise something here? Review your two-factor settings and security keys, and tell your administrator.
      </p>
    </section>
  );
}
