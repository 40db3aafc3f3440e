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

