import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { RequestDetail } from '../../../shared/api.ts';
import { buildCurl, requestUrl } from '../../../web/lib/curl.ts';

function request(overrides: Partial<RequestDetail> = {}): RequestDetail {
  return {
    id: '1',
    bin: 'demo',
    method: 'POST',
    path: '/hook',
    query: 'a=1',
    httpVersion: '1.1',
    remoteAddress: '127.0.0.1',
    remotePort: 50000,
    receivedAt: '2024-05-01T12:00:00.000Z',
    headers: [
      ['Host', '127.0.0.1:8787'],
      ['Authorization', 'Basic bWVAZXhhbXBsZS5jb20vdG9rZW46YWJj'],
      ['Content-Type', 'application/json'],
      ['Content-Length', '7'],
    ],
    body: { size: 7, truncated: false, base64: btoa('{"a":1}'), text: '{"a":1}' },
    analysis: { present: true, scheme: 'basic', schemeRaw: 'Basic', findings: [], signatures: [] },
    forward: null,
    ...overrides,
  };
}

/** Runs the command in bash with `curl` replaced by a function that prints its arguments and the body it would send. */
function runWithFakeCurl(command: string): { args: string[]; stdin: string } {
  const fakeCurl = `curl() { printf '%s\\0' "$@"; if [ "\${@: -1}" = '@-' ]; then printf 'STDIN:'; base64 -w0; fi; }`;
  const out = execFileSync('bash', ['-c', `${fakeCurl}\n${command}`], { encoding: 'utf8' });
  const [argText = '', stdinBase64 = ''] = out.split('STDIN:');
  return { args: argText.split('\0').slice(0, -1), stdin: Buffer.from(stdinBase64, 'base64').toString('latin1') };
}

describe('requestUrl', () => {
  it('is the capture URL the request was sent to', () => {
    expect(requestUrl('http://127.0.0.1:8787', request())).toBe('http://127.0.0.1:8787/b/demo/hook?a=1');
    expect(requestUrl('http://h', request({ path: '/', query: '' }))).toBe('http://h/b/demo');
  });
});

describe('buildCurl', () => {
  it('sends the headers as captured, minus the ones curl computes, and the body as is', () => {
    const { args } = runWithFakeCurl(buildCurl(request(), 'http://127.0.0.1:8787'));
    expect(args).toEqual([
      'http://127.0.0.1:8787/b/demo/hook?a=1',
      '-H',
      'Authorization: Basic bWVAZXhhbXBsZS5jb20vdG9rZW46YWJj',
      '-H',
      'Content-Type: application/json',
      '--data-binary',
      '{"a":1}',
    ]);
  });

  it('names the method when curl would not guess it, and uses --head for HEAD', () => {
    expect(runWithFakeCurl(buildCurl(request({ method: 'PROPFIND', body: { size: 0, truncated: false, base64: '' } }), 'http://h')).args.slice(0, 2)).toEqual(['-X', 'PROPFIND']);
    expect(runWithFakeCurl(buildCurl(request({ method: 'HEAD', body: { size: 0, truncated: false, base64: '' } }), 'http://h')).args[0]).toBe('--head');
  });

  it('pipes a binary body through base64 so every byte arrives', () => {
    const bytes = String.fromCharCode(...Array.from({ length: 256 }, (_, i) => i));
    const command = buildCurl(request({ body: { size: 256, truncated: false, base64: btoa(bytes) } }), 'http://h');
    const { args, stdin } = runWithFakeCurl(command);
    expect(args.slice(-2)).toEqual(['--data-binary', '@-']);
    expect(stdin).toBe(bytes);
  });

  it('says when the body was truncated at capture', () => {
    expect(buildCurl(request({ body: { size: 9, truncated: true, base64: btoa('{"a":1}'), text: '{"a":1}' } }), 'http://h')).toMatch(/^# The body was truncated/);
  });

  it('quotes any header value and body so the shell passes them through untouched', () => {
    // Characters the shell gives a meaning to, mixed with any other text.
    const unit = fc.oneof(fc.constantFrom("'", '"', '\\', '$', '`', '!', '*', ';', '&', '|', ' ', '\n', '$(', '%s'), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }));
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 30 }), fc.string({ unit, minLength: 1, maxLength: 30 }), (value, body) => {
        fc.pre(!/[\0\r\n]/.test(value) && !/[\0\r]/.test(body));
        const detail = request({ headers: [['X-Test', value]], body: { size: body.length, truncated: false, base64: '', text: body } });
        const { args } = runWithFakeCurl(buildCurl(detail, 'http://h'));
        expect(args).toContain(`X-Test: ${value}`);
        expect(args.at(-1)).toBe(body);
      }),
      { numRuns: 25 },
    );
  });
});
