import { expectedSecretLabel } from '../../shared/auth/index.ts';
import type { DifferencePart, Expected } from '../../shared/auth/types.ts';

export type ExpectedKind = Expected['kind'];

export const EXPECTED_KINDS: { kind: ExpectedKind; label: string }[] = [
  { kind: 'api-token', label: 'API token' },
  { kind: 'password', label: 'Password' },
  { kind: 'oauth', label: 'OAuth token' },
  { kind: 'api-key', label: 'API key header' },
  { kind: 'header', label: 'Raw header' },
];

/** An empty expectation of a kind, keeping the email when switching between the two email kinds. */
export function emptyExpected(kind: ExpectedKind, previous: Expected | null): Expected {
  const email = previous && 'email' in previous ? previous.email : '';
  switch (kind) {
    case 'password':
      return { kind, email, password: '' };
    case 'api-token':
      return { kind, email, token: '' };
    case 'oauth':
      return { kind, token: '' };
    case 'api-key':
      return { kind, header: '', value: '' };
    case 'header':
      return { kind, value: '' };
  }
}

/** Whether every field the comparison needs is filled in. */
export function isComplete(expected: Expected): boolean {
  switch (expected.kind) {
    case 'password':
      return expected.email.trim() !== '' && expected.password !== '';
    case 'api-token':
      return expected.email.trim() !== '' && expected.token !== '';
    case 'oauth':
      return expected.token !== '';
    case 'api-key':
      return expected.header.trim() !== '' && expected.value !== '';
    case 'header':
      return expected.value.trim() !== '';
  }
}

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** What a differing part is called to the user, in the words of the chosen kind: "Email", "API token"… */
export function partLabel(part: DifferencePart, expected: Expected): string {
  switch (part) {
    case 'scheme':
      return 'Scheme';
    case 'email':
      return 'Email';
    case 'token-suffix':
      return '/token suffix';
    case 'secret':
      return expected.kind === 'header' ? 'Secret' : capitalize(expectedSecretLabel(expected));
    case 'value':
      return expected.kind === 'api-key' ? 'API key header' : 'Header';
  }
}

/** A difference message as a sentence: "The API token differs: …". */
export function sentence(message: string): string {
  return capitalize(message);
}
