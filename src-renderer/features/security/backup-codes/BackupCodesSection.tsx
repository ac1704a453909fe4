import { useRef, useState } from 'react';
import { BACKUP_CODE_COUNT } from '../../../../contract/values.js';
import { Button } from '../../../components/Button.js';
import { LOW_BACKUP_CODES } from '../../../store/session-slice.js';
import { useAppStore } from '../../../store/store-context.js';
import { usualSecondStep } from '../two-factor/second-factor-words.js';
import { RegenerateBackupCodesDialog } from './RegenerateBackupCodesDialog.js';

export function BackupCodesSection() {
  const status = useAppStore((state) => state.twoFactor.status);
  const [regenerating, setRegenerating] = useState(false);
  const headingRef = useRef<HTMLHeadingElement>(null);

  if (status === null) return null;
  const remaining = status.backupCodesRemaining;
  return (
    <section className="card" aria-labelledby="backup-codes-heading">
      <h2 id="backup-codes-heading" ref={headingRef} tabIndex={-1}>
        Backup codes
      </h2>
      {status.enabled ? (
        <>
          <p className="count-line">
            <strong>{remaining}</strong> of {BACKUP_CODE_COUNT} backup codes left. Each one signs you in once when you
            can't use {usualSecondStep(status)}.
          </p>
          {remaining <= LOW_BACKUP_CODES && (
            <p className="warning">
              <span className="icon" aria-hidden="true">
                !
              </span>
              <span>
                <strong>Warning:</strong>{' '}
                {remaining === 0
                  ? 'You have no backup codes left. Generate new ones now.'
                  : `Only ${remaining} backup ${remaining === 1 ? 'code is' : 'codes are'} left. Generate new ones soon.`}
              </span>
            </p>
          )}
          <div className="button-row">
            <Button onClick={() => setRegenerating(true)}>Generate new backup codes</Button>
          </div>
        </>
      ) : (
        <p>You get ten backup codes when you turn on two-factor authentication or add your first security key.</p>
      )}
      {regenerating && (
        <RegenerateBackupCodesDialog onClose={() => setRegenerating(false)} fallbackFocus={() => headingRef.current} />
      )}
    </section>
  );
}
