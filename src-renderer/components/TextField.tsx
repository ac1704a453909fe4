import { useId, type InputHTMLAttributes, type Ref } from 'react';

export interface TextFieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'id'> {
  label: string;
  hint?: string;
  /** Id of an error message elsewhere (e.g. the form's alert) that describes this field. */
  errorId?: string | undefined;
  invalid?: boolean;
  ref?: Ref<HTMLInputElement>;
}

export function TextField({
  label,
  hint,
  errorId,
  invalid = false,
  className,
  ref,
  'aria-describedby': moreDescription,
  ...input
}: TextFieldProps) {
  const inputId = useId();
  const hintId = useId();
  const describedBy = [hint ? hintId : null, moreDescription, invalid && errorId ? errorId : null]
    .filter(Boolean)
    .join(' ');
  return (
    <div className={['field', className].filter(Boolean).join(' ')}>
      <label htmlFor={inputId}>{label}</label>
      {hint && (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      )}
      <input
        {...input}
        ref={ref}
        id={inputId}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy || undefined}
      />
    </div>
  );
}
