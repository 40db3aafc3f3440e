import type { Expected } from '../../shared/auth/types.ts';
import { EXPECTED_KINDS, emptyExpected, type ExpectedKind } from '../lib/expected.ts';
import { RuleField, RuleSelect } from './RuleField.tsx';

interface CredentialsFieldsProps {
  idPrefix: string;
  expected: Expected;
  onChange: (expected: Expected) => void;
  /** The kinds to offer; all of them when left out. */
  kinds?: readonly ExpectedKind[];
}

/**
 * The credentials a rule expects. The secret box is typed without echo: a kept secret arrives masked
 * from the server and goes back masked (the server keeps what it stored); typing replaces it.
 */
export function CredentialsFields({ idPrefix, expected, onChange, kinds }: CredentialsFieldsProps) {
  const set = <K extends Expected>(patch: Partial<K>) => onChange({ ...(expected as K), ...patch });
  const email = 'email' in expected && (
    <RuleField id={`${idPrefix}-email`} label="Email" inputMode="email" placeholder="me@example.com" value={expected.email} onInput={(email) => set({ email })} />
  );
  return (
    <>
      <RuleSelect
        id={`${idPrefix}-kind`}
        label="Expected credentials"
        value={expected.kind}
        options={EXPECTED_KINDS.filter(({ kind }) => !kinds || kinds.includes(kind)).map(({ kind, label }) => ({ value: kind, label }))}
        onChange={(kind: ExpectedKind) => onChange(emptyExpected(kind, expected))}
      />
      {email}
      {expected.kind === 'password' && <RuleField id={`${idPrefix}-password`} label="Password" secret value={expected.password} onInput={(password) => set({ password })} />}
      {(expected.kind === 'api-token' || expected.kind === 'oauth') && (
        <RuleField id={`${idPrefix}-token`} label={expected.kind === 'oauth' ? 'OAuth token' : 'API token'} secret value={expected.token} onInput={(token) => set({ token })} />
      )}
      {expected.kind === 'api-key' && (
        <>
          <RuleField id={`${idPrefix}-header`} label="Header name" placeholder="X-Api-Key" value={expected.header} onInput={(header) => set({ header })} />
          <RuleField id={`${idPrefix}-key`} label="Header value" secret value={expected.value} onInput={(value) => set({ value })} />
        </>
      )}
      {expected.kind === 'header' && <RuleField id={`${idPrefix}-authorization`} label="Authorization header" secret value={expected.value} onInput={(value) => set({ value })} />}
    </>
  );
}
