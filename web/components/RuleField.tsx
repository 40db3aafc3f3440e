import { useState } from 'preact/hooks';
import { isMaskedSecret, secretNotExported } from '../../shared/rules/masked-secret.ts';

interface RuleFieldProps {
  /** The input's id; its error, when there is one, is `${id}-error` and described by it. */
  id: string;
  label: string;
  value: string;
  onInput: (value: string) => void;
  error?: string | undefined;
  multiline?: boolean;
  placeholder?: string;
  inputMode?: 'numeric' | 'email';
  /**
   * A secret: hidden until the user presses Show. One the server keeps arrives masked; the box then
   * starts empty with the masked form beside it, so typing replaces it rather than editing the mask;
   * one an import left out ({@link secretNotExported}) starts empty too, saying it must be typed again.
   */
  secret?: boolean;
}

/** One labelled box of the rules editor, with the problem that names it shown beside it. */
export function RuleField({ id, label, value, onInput, error, multiline = false, placeholder, inputMode, secret = false }: RuleFieldProps) {
  const [shown, setShown] = useState(false);
  const notExported = secret && value === secretNotExported;
  const kept = secret && (isMaskedSecret(value) || notExported);
  const described = [kept && `${id}-kept`, error && `${id}-error`].filter(Boolean).join(' ');
  const shared = {
    id,
    value: kept ? '' : value,
    placeholder,
    spellcheck: false,
    autoComplete: 'off',
    'aria-invalid': error ? ('true' as const) : undefined,
    'aria-describedby': described || undefined,
    onInput: (e: Event) => onInput((e.currentTarget as HTMLInputElement).value),
  };
  return (
    <div class="field rule-field">
      <label for={id}>{label}</label>
      {multiline ? (
        <textarea rows={2} {...shared} />
      ) : secret ? (
        <span class="rule-secret">
          {shown ? <input type="text" {...shared} /> : <input type="password" {...shared} />}
          {kept ? (
            <span class="faint rule-kept" id={`${id}-kept`}>
              {notExported ? 'Not exported with the rules: type the secret again.' : `Kept: ${value}. Type to replace it.`}
            </span>
          ) : (
            <button type="button" class="btn btn-small" aria-label={`${shown ? 'Hide' : 'Show'} ${label}`} aria-pressed={shown} onClick={() => setShown(!shown)}>
              {shown ? 'Hide' : 'Show'}
            </button>
          )}
        </span>
      ) : (
        <input type="text" inputMode={inputMode} {...shared} />
      )}
      {error && (
        <span class="rule-error" id={`${id}-error`}>
          {error}
        </span>
      )}
    </div>
  );
}

interface RuleSelectProps<T extends string> {
  id: string;
  label: string;
  value: T;
  options: readonly { value: T; label: string }[];
  onChange: (value: T) => void;
}

/** A labelled picker of the rules editor; the label stands beside the select so its name is the label alone. */
export function RuleSelect<T extends string>({ id, label, value, options, onChange }: RuleSelectProps<T>) {
  return (
    <div class="field rule-field">
      <label for={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.currentTarget.value as T)}>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}
