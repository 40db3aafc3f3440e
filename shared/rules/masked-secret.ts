const hidden = '••••••••';

/**
 * A rule's secret as the API shows it: bullets, its last 4 characters and its length (a secret of
 * 8 characters or fewer shows none of them, so no more than half of a secret is ever shown). A rule
 * sent back with its secret masked keeps the stored one.
 *
 * @example
 * maskSecret('abcdefghij1234'); // '••••••••1234 (14 characters)'
 * maskSecret('short'); // '•••••••• (5 characters)'
 */
export function maskSecret(secret: string): string {
  const characters = [...secret];
  const tail = characters.length > 8 ? characters.slice(-4).join('') : '';
  return `${hidden}${tail} (${characters.length} character${characters.length === 1 ? '' : 's'})`;
}


const maskedShape = /^•{8}(.{0,4}) \((\d+) characters?\)$/su;

/**
 * True for text shaped as {@link maskSecret} writes it: the rules editor shows such a secret as kept
 * (typing replaces it) rather than as text to edit, since an edited mask would be taken as a new secret.
 *
 * @example
 * isMaskedSecret('••••••••1234 (14 characters)'); // true
 * isMaskedSecret('abcd1234'); // false
 */
export function isMaskedSecret(text: string): boolean {
  return maskedShape.test(text);
}

/**
 * What stands in an export for a rule's secret, which an export never carries; a rule imported with
 * it keeps the condition, which never holds until the secret is typed again (the API shows this text).
 */
export const secretNotExported = 'secret not exported: re-enter it';
