import { TextField, type TextFieldProps } from './TextField.js';

/**
 * Which password the field asks for. It sets the field's autocomplete token (HTML "autofill":
 * `current-password`, `new-password`), so that browsers and password managers fill the one and
 * offer to generate the other.
 */
export type PasswordPurpose = 'current' | 'new';

export interface PasswordFieldProps extends Omit<TextFieldProps, 'type' | 'autoComplete' | 'value' | 'onChange'> {
  purpose: PasswordPurpose;
  value: string;
  onValueChange: (value: string) => void;
}

/** A password input: a TextField that hides what is typed and says which password it wants. */
export function PasswordField({ purpose, value, onValueChange, ...field }: PasswordFieldProps) {
  return (
    <TextField
      {...field}
      type="password"
      autoComplete={`${purpose}-password`}
      value={value}
      onChange={(event) => onValueChange(event.target.value)}
    />
  );
}
