import type { HeaderPair } from '../auth/types.ts';

/** What a rule's body and header values may name: `{{reason}}`, `{{request.id}}`, `{{request.header.NAME}}`, `{{rule.name}}`. */
export interface PlaceholderValues {
  reason: string;
  requestId: string;
  ruleName: string;
  headers: HeaderPair[];
}

// The typography of authbin's own reasons ("b'…'", "{{…}}") read in ASCII rather than as "?".
const asciiForms: Record<string, string> = { '\u2026': '...', '\u2018': "'", '\u2019': "'", '\u201c': '"', '\u201d': '"' };

function asciiHeaderText(value: string): string {
  return value
    .replace(/[\t\r\n]/g, ' ')
    .replace(/[\u2026\u2018\u2019\u201c\u201d]/g, (char) => asciiForms[char]!)
    .replace(/[^\x20-\x7e]/g, '?');
}

/**
 * Text with its placeholders filled in; an unknown one stays as written. For a header value
 * (`asHeader`), what is filled in keeps to printable ASCII (an ellipsis as "...", curly quotes
 * straight, "?" for the rest, line breaks and tabs as spaces) and the value is trimmed, so that
 * it passes the bin response rules and arrives as written.
 *
 * @example
 * fillPlaceholders('{"why":"{{reason}}"}', { reason: 'the email differs', requestId: '7', ruleName: 'Zendesk API', headers: [] });
 * // '{"why":"the email differs"}'
 */
export function fillPlaceholders(text: string, values: PlaceholderValues, asHeader = false): string {
  if (!text.includes('{{')) return text;
  const filled = text.replace(/\{\{\s*(reason|request\.id|rule\.name|request\.header\.([!#$%&'*+\-.^_`|~0-9A-Za-z]+))\s*\}\}/g, (_whole, name: string, header: string | undefined) => {
    const value =
      header !== undefined
        ? (values.headers.find(([key]) => key.toLowerCase() === header.toLowerCase())?.[1] ?? '')
        : name === 'reason'
          ? values.reason
          : name === 'request.id'
            ? values.requestId
            : values.ruleName;
    return asHeader ? asciiHeaderText(value) : value;
  });
  return asHeader ? filled.trim() : filled;
}
