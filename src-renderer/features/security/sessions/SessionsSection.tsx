// Where you're signed in: each session of the account with its device, address, sign-in method and
// times; `Sign out` ends one at once (its next request is refused), `Sign out everywhere else`
// ends all but this one.
import { useEffect, useRef, useState } from 'react';
import type { Session } from '../../../api/types.js';
import { Button } from '../../../components/Button.js';
import { FormError } from '../../../components/FormError.js';
import { useAsyncAction } from '../../../components/use-async-action.js';
import { formatDateTime } from '../../../lib/time.js';
import { useAppStore } from '../../../store/store-context.js';
import { sessionDevice, sessionPlace, signedOutElsewhereSentence, signInMethodWords } from './session-words.js';

function SessionItem({ session, onEnded }: { session: Session; onEnded: (device: string) => void }) {
  const end = useAppStore((state) => state.sessions.end);
  const device = sessionDevice(session);
  const action = useAsyncAction(async () => {
    await end(session.id);
    onEnded(device);
  });
  return (
    <li className="key-item">
      <div className="key-details">
        <p className="key-name">
          <span>{device}</span>
          {session.current && <span className="badge badge-on">This device</span>}
        </p>
        <p className="key-meta">
          <span>{sessionPlace(session)}</span>
          <span aria-hidden="true"> · </span>
          <span>{signInMethodWords(session.signInMethod)}</span>
        </p>
        <p className="key-meta">
          <span>
            Signed in <time dateTime={session.createdAt}>{formatDateTime(session.createdAt)}</time>
          </span>
          <span aria-hidden="true"> · </span>
          <span>
            Last active <time dateTime={session.lastSeenAt}>{formatDateTime(session.lastSeenAt)}</time>
          </span>
        </p>
        <FormError message={action.error} />
      </div>
      {!session.current && (
        <div className="button-row key-actions">
          <Button onClick={() => void action.run()} busy={action.pending} busyLabel="Signing out…">
            Sign out<span className="visually-hidden"> {device}</span>
          </Button>
        </div>
      )}
    </li>
  );
}

export function SessionsSection() {
  const items = useAppStore((state) => state.sessions.items);
  const loading = useAppStore((state) => state.sessions.loading);
  const error = useAppStore((state) => state.sessions.error);
  const load = useAppStore((state) => state.sessions.load);
  const endOthers = useAppStore((state) => state.sessions.endOthers);
  const [message, setMessage] = useState<string | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const endAll = useAsyncAction(async () => {
    setMessage(signedOutElsewhereSentence(await endOthers()));
  });

  useEffect(() => {
    void load();
  }, [load]);

  const others = items?.filter((session) => !session.current).length ?? 0;
  return (
    <section className="card" aria-labelledby="sessions-heading" aria-busy={loading && items === null}>
      <div className="section-header">
        <h2 id="sessions-heading" ref={headingRef} tabIndex={-1}>
          Where you're signed in
        </h2>
        <Button variant="quiet" onClick={() => void load()} busy={loading} busyLabel="Refreshing…">
          Refresh
        </Button>
      </div>
      <p>If you do not recognise a place, sign it out and change your password.</p>
      <FormError message={error ?? endAll.error} />
      {items === null ? (
        loading && <p>Loading sessions…</p>
      ) : (
        <ul className="key-list" aria-label="Places you're signed in, newest first">
          {items.map((session) => (
            <SessionItem
              key={session.id}
              session={session}
              onEnded={(device) => {
                setMessage(`Signed out of ${device}.`);
                // The button that had focus is gone with its item.
                headingRef.current?.focus();
              }}
            />
          ))}
        </ul>
      )}
      <p role="status" className="section-status live-slot">
        {message}
      </p>
      {others > 0 && (
        <div className="button-row">
          <Button
            variant="danger"
            onClick={() => {
              setMessage(null);
              void endAll.run();
            }}
            busy={endAll.pending}
            busyLabel="Signing out…"
          >
            Sign out everywhere else
          </Button>
        </div>
      )}
    </section>
  );
}
