import TextField from '@material-ui/core/TextField';
import type { ReactNode } from 'react';

export interface VersionOption {
  value: string;
  label: string;
}

/**
 * The select both version pickers draw: native, so that a person (and a test) picks from a plain list, with one
 * sentence of helper text underneath.
 */
export function VersionSelect(props: {
  id: string;
  label: string;
  value: string;
  options: VersionOption[];
  helperText: ReactNode;
  onChange: (value: string | undefined) => void;
  required?: boolean;
  disabled?: boolean;
  error?: boolean;
}) {
  const {
    id,
    label,
    value,
    options,
    helperText,
    onChange,
    required,
    disabled,
    error,
  } = props;
  return (
    <TextField
      id={id}
      select
      fullWidth
      variant="outlined"
      margin="normal"
      label={label}
      required={required}
      disabled={disabled}
      error={error}
      value={value}
      onChange={event =>
        onChange(event.target.value === '' ? undefined : event.target.value)
      }
      SelectProps={{ native: true }}
      InputLabelProps={{ shrink: true }}
      FormHelperTextProps={{ 'aria-live': 'polite' }}
      helperText={helperText}
    >
      {options.map(option => (
        <option key={option.value} value={option.value}>
          {option.label}
        </option>
      ))}
    </TextField>
  );
}
