// After signing in with a backup code when few are left, the person is asked at once to make new
// ones, not told to look for a line in settings: the password is asked there, and "Cancel" leaves
// it for later.
import { useAppStore } from '../../../store/store-context.js';
import { RegenerateBackupCodesDialog } from './RegenerateBackupCodesDialog.js';

export function lowBackupCodesReason(remaining: number): string {
  if (remaining === 0)
    return 'You signed in with your last backup code. Generate new ones now, so you are not locked out.';
  return `You signed in with a backup code, and only ${remaining} ${remaining === 1 ? 'is' : 'are'} left. Generate new ones now.`;
}

export function LowBackupCodesPrompt() {
  const remaining = useAppStore((state) => state.session.lowBackupCodes);
  const dismiss = useAppStore((state) => state.session.dismissLowBackupCodes);
  if (remaining === null) return null;
  return (
    <RegenerateBackupCodesDialog
      reason={lowBackupCodesReason(remaining)}
      onClose={dismiss}
      fallbackFocus={() => document.querySelector<HTMLElement>('main h1')}
    />
  );
}
