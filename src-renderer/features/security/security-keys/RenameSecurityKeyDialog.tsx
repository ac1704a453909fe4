import { useId, useState, type FormEvent } from 'react';
import type { SecurityKey } from '../../../api/types.js';
import { Button } from '../../../components/Button.js';
import { Dialog } from '../../../components/Dialog.js';
import { FormError } from '../../../components/FormError.js';
import { TextField } from '../../../components/TextField.js';
import { useAsyncAction } from '../../../components/use-async-action.js';
import { keyNameProblem, KEY_NAME_MAX_CHARACTERS } from '../../../store/security-keys-slice.js';
import { useAppStore } from '../../../store/store-context.js';

export function RenameSecurityKeyDialog({
  securityKey,
  onClose,
  onRenamed,
  fallbackFocus,
}: {
  securityKey: SecurityKey;
  onClose: () => void;
  onRenamed: (key: SecurityKey) => void;
  fallbackFocus: () => HTMLElement | null;
}) {
  const rename = useAppStore((state) => state.securityKeys.rename);
  const [name, setName] = useState(securityKey.name);
  const action = useAsyncAction(async (value: string) => {
    onRenamed(await rename(securityKey.id, value));
  });
  const errorId = useId();

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const problem = keyNameProblem(name);
    if (problem) {
      action.setError(problem);
      return;
    }
    await action.run(name);
  };

  return (
    <Dialog title="Rename security key" onClose={onClose} canClose={!action.pending} fallbackFocus={fallbackFocus}>
      <form className="stack" onSubmit={(event) => void onSubmit(event)} noValidate aria-busy={action.pending}>
        <TextField
          label="Key name"
          hint={`Up to ${KEY_NAME_MAX_CHARACTERS} characters, such as “Office USB key” or “Laptop fingerprint”.`}
          autoComplete="off"
          value={name}
          onChange={(event) => setName(event.target.value)}
          readOnly={action.pending}
          invalid={action.error !== null}
          errorId={errorId}
        />
        <FormError id={errorId} message={action.error} />
        <div className="button-row button-row-end">
          <Button onClick={onClose} disabled={action.pending}>
            Cancel
          </Button>
          <Button type="submit" variant="primary" busy={action.pending} busyLabel="Saving…">
            Save
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
