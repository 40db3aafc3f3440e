import type { Expected } from '../../shared/auth/types.ts';
import { EXPECTED_KINDS, emptyExpected } from '../lib/expected.ts';

interface ExpectedFormProps {
  expected: Expected | null;
  onChange: (expected: Expected | null) => void;
  /** Makes the radio group's name unique when two forms share a page. */
  idPrefix: string;
}

function TextField(props: { label: string; value: string; onInput: (value: string) => void; placeholder?: string; inputMode?: 'email' }) {
  return (
    <label class="field">
      <span>{props.label}</span>
      <input
        type="text"
        inputMode={props.inputMode}
        value={props.value}
        placeholder={props.placeholder}
        autoComplete="off"
        spellcheck={false}
        onInput={(e) => props.onInput(e.currentTarget.value)}
      />
    </label>
  );
}

/** Picks what the user meant to send and takes its fields; changes apply as they type. */
export function ExpectedForm({ expected, onChange, idPrefix }: ExpectedFormProps) {
  const set = <K extends Expected>(patch: Partial<K>) => onChange({ ...(expected as K), ...patch });
  return (
    <div class="expected-form">
      <fieldset class="expected-kinds">
        <legend>What did you mean to send?</legend>
        {EXPECTED_KINDS.map(({ kind, label }) => (
          <label key={kind} class={`expected-kind ${expected?.kind === kind ? 'is-selected' : ''}`}>
            <input
              type="radio"
              name={`${idPrefix}-expected-kind`}
              value={kind}
              checked={expected?.kind === kind}
              onChange={() => onChange(emptyExpected(kind, expected))}
            />
            {label}
          </label>
        ))}
      </fieldset>
      {expected && (
        <div class="expected-fields">
          {expected.kind === 'password' && (
            <>
              <TextField label="Email" inputMode="email" value={expected.email} placeholder="me@example.com" onInput={(email) => set({ email })} />
              <TextField label="Password" value={expected.password} onInput={(password) => set({ password })} />
            </>
          )}
          {expected.kind === 'api-token' && (
            <>
              <TextField label="Email" inputMode="email" value={expected.email} placeholder="me@example.com" onInput={(email) => set({ email })} />
              <TextField label="API token" value={expected.token} placeholder="40 letters and digits" onInput={(token) => set({ token })} />
            </>
          )}
          {expected.kind === 'oauth' && <TextField label="OAuth token" value={expected.token} onInput={(token) => set({ token })} />}
          {expected.kind === 'api-key' && (
            <>
              <TextField label="Header name" value={expected.header} placeholder="X-Api-Key" onInput={(header) => set({ header })} />
              <TextField label="Header value" value={expected.value} onInput={(value) => set({ value })} />
            </>
          )}
          {expected.kind === 'header' && (
            <TextField label="Authorization header" value={expected.value} placeholder="Basic bWVAZXhhbXBsZS5jb20…" onInput={(value) => set({ value })} />
          )}
        </div>
      )}
    </div>
  );
}
