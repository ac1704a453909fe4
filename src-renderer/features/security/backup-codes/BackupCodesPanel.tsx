// The ten codes with Copy, Download and Print, and Done only once the person says they saved
// them: after this panel closes the codes are gone from the page for good.
import { useId, useState } from 'react';
import { Button } from '../../../components/Button.js';
import { CopyButton } from '../../../components/CopyButton.js';
import { saveTextFile } from '../../../platform/desktop-bridge.js';
import { BACKUP_CODES_FILE_NAME, backupCodesFileText } from './backup-codes-file.js';

export function BackupCodesPanel({
  codes,
  username,
  onDone,
  standsInFor = 'your authenticator app or security key',
}: {
  codes: readonly string[];
  username: string;
  onDone: () => void;
  /** What a code replaces, e.g. "your security key" (second-factor-words.ts usualSecondStep). */
  standsInFor?: string;
}) {
  const [confirmed, setConfirmed] = useState(false);
  const [saveStatus, setSaveStatus] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const doneHintId = useId();
  const listLabelId = useId();

  const download = async () => {
    if (saving) return;
    setSaving(true);
    setSaveStatus(null);
    try {
      const text = backupCodesFileText({ username, codes, createdAt: new Date(), origin: window.location.origin });
      const outcome = await saveTextFile(BACKUP_CODES_FILE_NAME, text);
      setSaveStatus(
        outcome === 'cancelled'
          ? 'The file was not saved.'
          : outcome === 'saved'
            ? 'Saved the codes to a file.'
            : `Downloading ${BACKUP_CODES_FILE_NAME}.`,
      );
    } catch {
      setSaveStatus('The file could not be saved. Copy or print the codes instead.');
    } finally {
      setSaving(false);
    }
  };

  return (
    <div className="stack backup-codes-panel">
      <p>
        Keep these codes somewhere safe, such as a password manager or a printed page at home. Each code signs you in
        once when you can't use {standsInFor}. This is the only time they are shown.
      </p>
      <p className="print-only">
        Latchkey backup codes for {username} ({window.location.origin})
      </p>
      <ol className="backup-codes" aria-labelledby={listLabelId}>
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ol>
      <p id={listLabelId} className="visually-hidden">
        Your backup codes
      </p>
      <div className="button-row no-print">
        <CopyButton text={codes.join('\n')} label="Copy" copiedMessage="Codes copied." />
        <Button onClick={() => void download()} busy={saving}>
          Download
        </Button>
        <Button onClick={() => window.print()}>Print</Button>
      </div>
      <p role="status" className="save-status live-slot no-print">
        {saveStatus}
      </p>
      <div className="checkbox no-print">
        <input
          id={`${doneHintId}-confirm`}
          type="checkbox"
          checked={confirmed}
          onChange={(event) => setConfirmed(event.target.checked)}
        />
        <label htmlFor={`${doneHintId}-confirm`}>I have saved these codes</label>
      </div>
      <div className="button-row button-row-end no-print">
        <Button
          variant="primary"
          disabled={!confirmed}
          aria-describedby={confirmed ? undefined : doneHintId}
          onClick={onDone}
        >
          Done
        </Button>
      </div>
      {!confirmed && (
        <p id={doneHintId} className="field-hint no-print">
          Tick “I have saved these codes” to finish.
        </p>
      )}
    </div>
  );
}
