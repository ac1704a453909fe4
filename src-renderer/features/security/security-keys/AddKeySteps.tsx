import { useId, type FormEvent } from 'react';
import type { SecurityKey } from '../../../api/types.js';
import { Button } from '../../../components/Button.js';
import { FormError } from '../../../components/FormError.js';
import { TextField } from '../../../components/TextField.js';
import { useAsyncAction } from '../../../components/use-async-action.js';
import type { KeyKind } from '../../../platform/webauthn.js';
import {
  KEY_NAME_MAX_CHARACTERS,
  keyNameProblem,
  NO_PLATFORM_AUTHENTICATOR_MESSAGE,
} from '../../../store/security-keys-slice.js';
import { useAppStore } from '../../../store/store-context.js';

export function KeyNameStep() {
  const name = useAppStore((state) => state.securityKeys.registration?.name ?? '');
  const setName = useAppStore((state) => state.securityKeys.setName);
  const goToStep = useAppStore((state) => state.securityKeys.goToStep);
  const close = useAppStore((state) => state.securityKeys.closeRegistration);
  const action = useAsyncAction(async () => goToStep('kind'));
  const errorId = useId();

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const problem = keyNameProblem(name);
    if (problem) action.setError(problem);
    else void action.run();
  };

  return (
    <form className="stack" onSubmit={onSubmit} noValidate>
      <TextField
        label="Key name"
        hint={`A name you will recognise in your list of keys, such as “Office USB key” or “Laptop fingerprint”. Up to ${KEY_NAME_MAX_CHARACTERS} characters.`}
        autoComplete="off"
        value={name}
        onChange={(event) => setName(event.target.value)}
        invalid={action.error !== null}
        errorId={errorId}
      />
      <FormError id={errorId} message={action.error} />
      <div className="button-row button-row-end">
        <Button onClick={close}>Cancel</Button>
        <Button type="submit" variant="primary">
          Next
        </Button>
      </div>
    </form>
  );
}

const KIND_CHOICES: { kind: KeyKind; label: string; hint: string; prompt: string }[] = [
  {
    kind: 'usb',
    label: 'USB security key',
    hint: 'A key you plug in or hold to this device, such as a YubiKey or a Titan key.',
    prompt: "Follow your browser's prompt: insert your security key and touch it when it blinks.",
  },
  {
    kind: 'platform',
    label: "This device's fingerprint reader",
    hint: 'Touch ID, Windows Hello or another fingerprint or face unlock built into this device.',
    prompt: "Follow your device's prompt: touch the fingerprint reader, or look at the camera.",
  },
];

export function KeyKindStep({
  onPendingChange,
  onAdded,
}: {
  onPendingChange: (pending: boolean) => void;
  onAdded: (key: SecurityKey) => void;
}) {
  const kind = useAppStore((state) => state.securityKeys.registration?.kind ?? 'usb');
  const platformAvailable = useAppStore((state) => state.securityKeys.platformAuthenticator);
  const setKind = useAppStore((state) => state.securityKeys.setKind);
  const goToStep = useAppStore((state) => state.securityKeys.goToStep);
  const register = useAppStore((state) => state.securityKeys.register);
  const action = useAsyncAction(async () => {
    onPendingChange(true);
    try {
      const { key, backupCodes } = await register();
      // With no backup codes to save, the dialog is done (register() closed it); else Done says so.
      if (!backupCodes) onAdded(key);
    } finally {
      onPendingChange(false);
    }
  });
  const baseId = useId();
  const errorId = `${baseId}-error`;
  const chosen = platformAvailable === false && kind === 'platform' ? 'usb' : kind;
  const prompt = KIND_CHOICES.find((choice) => choice.kind === chosen)?.prompt ?? '';

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (chosen !== kind) setKind(chosen);
    void action.run();
  };

  return (
    <form className="stack" onSubmit={onSubmit} noValidate aria-busy={action.pending}>
      <fieldset className="choices" disabled={action.pending}>
        <legend>Which key do you want to add?</legend>
        {KIND_CHOICES.map((choice) => {
          const unavailable = choice.kind === 'platform' && platformAvailable === false;
          const inputId = `${baseId}-${choice.kind}`;
          const hintId = `${inputId}-hint`;
          return (
            <div key={choice.kind} className={unavailable ? 'choice choice-unavailable' : 'choice'}>
              <input
                id={inputId}
                type="radio"
                name={`${baseId}-kind`}
                value={choice.kind}
                checked={chosen === choice.kind}
                disabled={unavailable}
                aria-describedby={hintId}
                onChange={() => setKind(choice.kind)}
              />
              <div>
                <label htmlFor={inputId}>{choice.label}</label>
                <p id={hintId} className="field-hint">
                  {unavailable ? NO_PLATFORM_AUTHENTICATOR_MESSAGE : choice.hint}
                </p>
              </div>
            </div>
          );
        })}
      </fieldset>
      <p role="status" className="section-status live-slot">
        {action.pending ? prompt : null}
      </p>
      <FormError id={errorId} message={action.error} />
      <div className="button-row button-row-end">
        <Button onClick={() => goToStep('name')} disabled={action.pending}>
          Back
        </Button>
        <Button
          type="submit"
          variant="primary"
          busy={action.pending}
          busyLabel="Waiting for your key…"
          aria-describedby={action.error ? errorId : undefined}
        >
          Add key
        </Button>
      </div>
    </form>
  );
}
