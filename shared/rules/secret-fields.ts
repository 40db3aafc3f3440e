import type { Expected } from '../auth/types.ts';

/**
 * Which field of each kind of expected credentials is the secret (kept as a keyed hash, shown
 * masked), and which are kept in clear (the email, an API key's header name).
 */
export const expectedFields: Readonly<Record<Expected['kind'], { secret: string; clear: readonly string[] }>> = {
  password: { secret: 'password', clear: ['email'] },
  'api-token': { secret: 'token', clear: ['email'] },
  oauth: { secret: 'token', clear: [] },
  'api-key': { secret: 'value', clear: ['header'] },
  header: { secret: 'value', clear: [] },
};

/**
 * The secret of expected credentials.
 *
 * @example
 * expectedSecret({ kind: 'api-token', email: 'me@example.com', token: 'abc' }); // 'abc'
 */
export function expectedSecret(expected: Expected): string {
  return (expected as unknown as Record<string, string>)[expectedFields[expected.kind].secret]!;
}

/**
 * The same credentials with another secret in place of theirs (a masked one, for the API).
 *
 * @example
 * withExpectedSecret({ kind: 'oauth', token: 'abc' }, 'x'); // { kind: 'oauth', token: 'x' }
 */
export function withExpectedSecret(expected: Expected, secret: string): Expected {
  return { ...expected, [expectedFields[expected.kind].secret]: secret } as Expected;
}
