// One key of the list: its name, kind and dates, and Test, Rename, Remove. "Test" runs the
// browser's or the OS's prompt for this key alone, checked by the server; the section says
// "This key works" with the time, or why not. Nothing is signed in or out.
import type { SecurityKey } from '../../../api/types.js';
import { Button } from '../../../components/Button.js';
import { useAsyncAction } from '../../../components/use-async-action.js';
import { errorMessage } from '../../../lib/error-message.js';
import { formatDateTime, formatTime } from '../../../lib/time.js';
import { useAppStore } from '../../../store/store-context.js';
import { keyTypeWords } from './key-words.js';

export function SecurityKeyItem({
  securityKey: key,
  onRename,
  onRemove,
  onTested,
}: {
  securityKey: SecurityKey;
  onRename: () => void;
  onRemove: () => void;
  /** The test's outcome as a sentence: `ok` false when the key did not answer as this key. */
  onTested: (sentence: string | null, ok: boolean) => void;
}) {
  const testKey = useAppStore((state) => state.securityKeys.test);
  const test = useAsyncAction(async () => {
    onTested(null, true);
    try {
      await testKey(key.id);
      onTested(`This key works: “${key.name}” answered at ${formatTime(new Date(), undefined, true)}.`, true);
    } catch (error) {
      onTested(errorMessage(error), false);
    }
  });

  return (
    <li className="key-item">
      <div className="key-details">
        <p className="key-name">
          <span>{key.name}</span>
          {key.passkey && <span className="badge badge-passkey">Passkey</span>}
        </p>
        <p className="key-meta">
          <span>{keyTypeWords(key.type)}</span>
          <span aria-hidden="true"> · </span>
          <span>
            Added <time dateTime={key.createdAt}>{formatDateTime(key.createdAt)}</time>
          </span>
          <span aria-hidden="true"> · </span>
          <span>
            {key.lastUsedAt ? (
              <>
                Last used <time dateTime={key.lastUsedAt}>{formatDateTime(key.lastUsedAt)}</time>
              </>
            ) : (
              'Not used yet'
            )}
          </span>
        </p>
      </div>
      <div className="button-row key-actions">
        <Button onClick={() => void test.run()} busy={test.pending} busyLabel="Touch your key…">
          Test<span className="visually-hidden"> {key.name}</span>
        </Button>
        <Button onClick={onRename}>
          Rename<span className="visually-hidden"> {key.name}</span>
        </Button>
        <Button variant="danger" onClick={onRemove}>
          Remove<span className="visually-hidden"> {key.name}</span>
        </Button>
      </div>
    </li>
  );
}
