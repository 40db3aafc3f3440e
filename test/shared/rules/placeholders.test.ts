import { describe, expect, it } from 'vitest';
import { fillPlaceholders } from '../../../shared/rules/placeholders.ts';

const values = { reason: "the API token matches once Python's b'…' around it is removed", requestId: '42', ruleName: 'Zendesk API', headers: [['X-Trace', 'abc\r\n'] as [string, string]] };

describe('fillPlaceholders', () => {
  it('fills each placeholder in a body, and leaves unknown ones', () => {
    expect(fillPlaceholders('{{rule.name}} #{{request.id}}: {{reason}} ({{request.header.x-trace}}) {{other}}', values)).toBe(
      "Zendesk API #42: the API token matches once Python's b'…' around it is removed (abc\r\n) {{other}}",
    );
  });

  it('keeps a header value to printable ASCII, trimmed', () => {
    expect(fillPlaceholders(' {{reason}} / {{request.header.X-Trace}}', values, true)).toBe("the API token matches once Python's b'...' around it is removed / abc");
    const typographic = { ...values, reason: 'the bin\u2019s \u201cZendesk\u201d rule: caf\u00e9 \u2014 ok' };
    expect(fillPlaceholders('{{reason}}', typographic, true)).toBe('the bin\'s "Zendesk" rule: caf? ? ok');
    expect(fillPlaceholders('{{request.header.Missing}}', values, true)).toBe('');
  });
});
