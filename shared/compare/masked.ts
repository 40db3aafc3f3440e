import { isToken } from '../http/header-rules.ts';

const hidden = '••••••••';

/**
 * An Authorization value with its credentials hidden: the scheme stays, the rest becomes bullets and
 * its length, so a comparison can be printed or logged without the secret.
 *
 * @example
 * maskedCredentials('Basic amFuZTpwdw=='); // 'Basic •••••••• (12 characters)'
 */
export function maskedCredentials(value: string): string {
  const match = /^(\S+)( +)(.*)$/s.exec(value);
  const [scheme, credentials] = match && isToken(match[1]!) ? [`${match[1]}${match[2]}`, match[3]!] : ['', value];
  if (credentials === '') return value;
  const length = [...credentials].length;
  return `${scheme}${hidden} (${length} character${length === 1 ? '' : 's'})`;
}
