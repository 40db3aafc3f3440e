import { characterName, findPastedCharacters, withoutPastedCharacters } from './characters.ts';

function count(n: number): string {
  return `${n} character${n === 1 ? '' : 's'}`;
}

// The likely cause, when the received value is the expected one with a known slip.
function cause(expected: string, received: string): string | undefined {
  if (received === `${expected}\r\n`) return 'received ends with \\r\\n, a Windows line break';
  if (received === `${expected}\n`) return 'received has a trailing newline';
  if (received === `${expected}:`) return 'received has an extra colon at the end';
  if (received.trimEnd() === expected) return 'received has trailing whitespace';
  if (received.trimStart() === expected) return 'received has leading whitespace';
  if (received.trim() === expected) return 'received has whitespace around it';
  if (expected.trim() === received) return 'what you expected has whitespace around it';
  const pasted = findPastedCharacters(received);
  if (pasted.length > 0 && withoutPastedCharacters(received).replace(/ /g, '') === expected.replace(/ /g, '')) {
    return `received has an invisible ${characterName(pasted[0]?.codePoint ?? 0)}`;
  }
  if (received === `token:${expected}`) return 'received starts with "token:": the /token suffix belongs after the email';
  if (received.toLowerCase() === expected.toLowerCase()) return 'they differ only in letter case';
  if (received.length === expected.length * 2 && received === expected + expected) return 'received is the expected value twice';
  return undefined;
}

/**
 * Describes how a received secret differs from the expected one without showing either:
 * lengths, the first differing position, and the likely cause. `undefined` when they are equal.
 *
 * @example
 * describeSecretDifference('API token', 'abc', 'abc\n');
 * // 'the API token differs: 3 characters expected, 4 received; they first differ at character 4 (received has a trailing newline)'
 */
export function describeSecretDifference(label: string, expected: string, received: string): string | undefined {
  if (expected === received) return undefined;
  const a = [...expected];
  const b = [...received];
  let first = 0;
  while (first < a.length && first < b.length && a[first] === b[first]) first++;
  const lengths = a.length === b.length ? `both are ${count(a.length)}` : `${count(a.length)} expected, ${b.length} received`;
  const note = cause(expected, received);
  return `the ${label} differs: ${lengths}; they first differ at character ${first + 1}${note ? ` (${note})` : ''}`;
}

/**
 * Describes how a received non-secret value (an email address) differs from the expected one.
 *
 * @example
 * describeVisibleDifference('email', 'me@x.com', 'Me@x.com');
 * // 'the email differs: expected "me@x.com", received "Me@x.com" (they differ only in letter case)'
 */
export function describeVisibleDifference(label: string, expected: string, received: string): string | undefined {
  if (expected === received) return undefined;
  const note = cause(expected, received);
  const shown = (text: string) => JSON.stringify(text);
  return `the ${label} differs: expected ${shown(expected)}, received ${shown(received)}${note ? ` (${note})` : ''}`;
}
