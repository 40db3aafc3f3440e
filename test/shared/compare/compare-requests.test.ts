import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { StoredBody } from '../../../shared/api.ts';
import { compareRequests, maskedCredentials, type ComparedRequest, type NamedDifference, type RequestComparison } from '../../../shared/compare/index.ts';
import { explainRefusal } from '../../../shared/http/refusal.ts';
import { readRefusedHead } from '../../../shared/http/refused-head.ts';
import { signRequest } from '../../../shared/signatures/index.ts';
import { visibleText } from '../../../shared/compare/visible.ts';

const NOW = Date.UTC(2026, 0, 1);

function body(text: string | Uint8Array): StoredBody {
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : Buffer.from(text);
  const decoded = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  let asText: string | undefined;
  try {
    asText = decoded.decode(bytes);
  } catch {
    asText = undefined;
  }
  return { size: bytes.length, truncated: false, base64: bytes.toString('base64'), ...(asText !== undefined && { text: asText }) };
}

function request(parts: Partial<Omit<ComparedRequest, 'body'>> & { body?: string | Uint8Array } = {}): ComparedRequest {
  const path = parts.path ?? '/';
  const query = parts.query ?? '';
  return {
    method: 'GET',
    url: `http://127.0.0.1:8787/b/bin${path === '/' ? '' : path}${query ? `?${query}` : ''}`,
    receivedAt: new Date(NOW).toISOString(),
    headers: [],
    refusal: null,
    ...parts,
    path,
    query,
    body: body(parts.body ?? ''),
  };
}

const basic = (text: string) => `Basic ${Buffer.from(text, 'utf8').toString('base64')}`;
const token = '6wiIBWbGkBMo1mRDMuVwkw1EPsNkeUj95PIz2akv';

describe('the Authorization header compared by meaning', () => {
  it('names a line break that echo added before base64, without showing the token', async () => {
    const a = request({ headers: [['Authorization', basic(`jane@example.com/token:${token}`)]] });
    // `echo 'jane@example.com/token:…' | base64`
    const b = request({ headers: [['Authorization', basic(`jane@example.com/token:${token}\n`)]] });
    const result = await compareRequests(a, b, { now: NOW });
    expect(result.same).toBe(false);
    expect(result.summary[0]).toBe("Same credentials, but B's API token ends with a line break");
    expect(result.authorization.firstDifference).toBe(41);
    expect(result.authorization.onlyInB.map((f) => f.code)).toContain('trailing-newline');
    expect(JSON.stringify(result)).not.toContain(token);
  });

  it('sees the same credentials through scheme case and missing padding', async () => {
    const value = Buffer.from('jane@example.com:pw1').toString('base64');
    expect(value.endsWith('=')).toBe(true);
    const a = request({ headers: [['Authorization', `Basic ${value}`]] });
    const b = request({ headers: [['Authorization', `basic ${value.replace(/=+$/, '')}`]] });
    const summary = (await compareRequests(a, b, { now: NOW })).summary[0];
    expect(summary).toMatch(/^Same credentials, written differently: /);
    expect(summary).toContain("B lacks the base64 '=' padding");
    expect(summary).toContain('A writes the scheme "Basic", B "basic"');
    // The letter case is said once, by the sentence that shows both.
    expect(summary).toBe(`Same credentials, written differently: B lacks the base64 '=' padding; A writes the scheme "Basic", B "basic"`);
  });

  it('tells a pasted no-break space in the secret', async () => {
    const a = request({ headers: [['Authorization', basic('jane@example.com:secret')]] });
    const b = request({ headers: [['Authorization', basic('jane@example.com:secret\u00a0')]] });
    expect((await compareRequests(a, b, { now: NOW })).summary[0]).toBe("Same credentials, but B's password has an invisible U+00A0 NO-BREAK SPACE at character 7");
  });

  it('says the encoding when the same credentials are UTF-8 on one side and Latin-1 on the other', async () => {
    const a = request({ headers: [['Authorization', `Basic ${Buffer.from('jane@example.com:pässword', 'utf8').toString('base64')}`]] });
    const b = request({ headers: [['Authorization', `Basic ${Buffer.from('jane@example.com:pässword', 'latin1').toString('base64')}`]] });
    expect((await compareRequests(a, b, { now: NOW })).summary[0]).toBe('Same credentials, but different encoding: A is UTF-8, B is ISO-8859-1 (Latin-1)');
  });

  it('shows different emails and hides different secrets', async () => {
    const a = request({ headers: [['Authorization', basic('jane@example.com:hunter22')]] });
    const b = request({ headers: [['Authorization', basic('jane.roe@example.com:hunter23')]] });
    const summary = (await compareRequests(a, b, { now: NOW })).summary;
    expect(summary).toEqual([
      'Different emails: A sends "jane@example.com", B sends "jane.roe@example.com"',
      "Different passwords: both are 8 characters; they first differ at character 8",
    ]);
  });

  it('says which side sends no Authorization header', async () => {
    const result = await compareRequests(request(), request({ headers: [['Authorization', `Bearer ${token}`]] }), { now: NOW });
    expect(result.summary).toEqual(['Only B sends an Authorization header']);
  });
});

describe('headers, query and method', () => {
  const a = request({
    method: 'POST',
    query: 'page=1&tag=a&tag=b',
    headers: [
      ['Content-Type', 'application/json'],
      ['X-Trace', '1'],
      ['Accept', '*/*'],
      ['Accept', 'text/plain'],
    ],
  });

  it('aligns headers by name ignoring case and order, and keeps duplicates', async () => {
    const b = request({
      method: 'POST',
      query: 'tag=a&page=1&tag=b',
      headers: [
        ['accept', '*/*'],
        ['content-type', 'application/json'],
        ['X-Trace', '1'],
      ],
    });
    const result = await compareRequests(a, b, { now: NOW });
    expect(result.headers.find((h) => h.name === 'Accept')).toEqual({ name: 'Accept', change: 'changed', a: ['*/*', 'text/plain'], b: ['*/*'] });
    expect(result.headers.find((h) => h.name === 'Content-Type')?.change).toBe('same');
    expect(result.headerNotes).toEqual([
      'Header name case differs: A sends "Content-Type", B sends "content-type"',
      'Header name case differs: A sends "Accept", B sends "accept"',
      'The headers both send come in a different order',
    ]);
    expect(result.summary).toEqual(['Headers differ: Accept (changed)']);
  });

  it('counts case and order only when strict', async () => {
    const b = request({ method: 'POST', query: 'tag=a&page=1&tag=b', headers: [...a.headers].reverse().map(([n, v]) => [n.toLowerCase(), v] as [string, string]) });
    const reordered = request({ method: 'POST', query: 'page=1&tag=a&tag=b', headers: [a.headers[1]!, a.headers[0]!, a.headers[2]!, a.headers[3]!] });
    expect((await compareRequests(a, reordered, { now: NOW })).same).toBe(true);
    expect((await compareRequests(a, reordered, { now: NOW, strict: true })).same).toBe(false);
    expect((await compareRequests(a, b, { now: NOW, strict: true })).summary).toContain('The headers both send come in a different order');
  });

  it('compares the method, path and query per key', async () => {
    const b = request({ method: 'PUT', path: '/hook', query: 'page=2&tag=a&tag=b', headers: a.headers });
    const result = await compareRequests(a, b, { now: NOW });
    expect(result.query.find((q) => q.name === 'page')).toEqual({ name: 'page', change: 'changed', a: ['1'], b: ['2'] });
    expect(result.summary).toEqual(['Different methods: A is POST, B is PUT', 'Different paths: A calls /, B calls /hook', 'Query parameters differ: page']);
  });
});

describe('bodies', () => {
  it('compares JSON by path, key order ignored, and notes different bytes', async () => {
    const reserialised = await compareRequests(request({ body: '{"ticket":{"id":1,"status":"open"}}' }), request({ body: '{ "ticket": { "status": "open", "id": 1 } }' }));
    expect(reserialised.body).toMatchObject({ kind: 'json', same: true, sameBytes: false, changes: [] });
    expect(reserialised.same).toBe(false);
    expect(reserialised.summary).toEqual(['The bodies are the same JSON, written with different bytes (a signature over the body tells them apart)']);
    const changed = await compareRequests(request({ body: '{"ticket":{"status":"open","tags":["a"]}}' }), request({ body: '{"ticket":{"status":"solved","tags":["a","b"]},"x":null}' }));
    expect(changed.body.kind === 'json' && changed.body.changes).toEqual([
      { path: '$.ticket.status', change: 'changed', a: '"open"', b: '"solved"' },
      { path: '$.ticket.tags[1]', change: 'added', b: '"b"' },
      { path: '$.x', change: 'added', b: 'null' },
    ]);
  });

  it('diffs text by lines with line ends and invisible characters shown', async () => {
    const result = await compareRequests(request({ body: 'one\ntwo\nthree\n' }), request({ body: 'one\r\ntwo\nthree\ufeff\n' }));
    expect(result.body.kind === 'text' && result.body.changes).toEqual([
      { op: 'removed', text: 'one\\n' },
      { op: 'added', text: 'one\\r\\n' },
      { op: 'same', text: 'two\\n' },
      { op: 'removed', text: 'three\\n' },
      { op: 'added', text: 'three⟨U+FEFF⟩\\n' },
    ]);
  });

  it('compares binary bodies as bytes', async () => {
    const result = await compareRequests(request({ body: new Uint8Array([0xff, 0x00, 0x01]) }), request({ body: new Uint8Array([0xff, 0x00, 0x02, 0x03]) }));
    expect(result.body).toEqual({ kind: 'bytes', same: false, sameBytes: false, sizes: [3, 4], changes: [{ offset: 2, a: '01', b: '0203' }] });
  });

  it('makes a BOM, NBSP, zero-width space and control characters visible', async () => {
    expect(visibleText('\ufeffa\u00a0b\u200bc\t\u0000“d”')).toBe('⟨U+FEFF⟩a⟨U+00A0⟩b⟨U+200B⟩c\\t⟨U+0000⟩“d”');
  });
});

describe('properties', () => {
  const name = fc.constantFrom('Authorization', 'authorization', 'Content-Type', 'X-Id', 'Accept', 'X-Zendesk-Webhook-Signature', 'X-Zendesk-Webhook-Signature-Timestamp', 'X-Hub-Signature-256');
  const headerValue = fc.oneof(
    fc.string({ maxLength: 30 }),
    fc.string({ maxLength: 30 }).map((s) => basic(s)),
    fc.string({ maxLength: 30 }).map((s) => `Bearer ${s}`),
    fc.uint8Array({ minLength: 32, maxLength: 32 }).map((mac) => Buffer.from(mac).toString('base64')),
    fc.uint8Array({ minLength: 32, maxLength: 32 }).map((mac) => `sha256=${Buffer.from(mac).toString('hex')}`),
  );
  const arbitraryRequest = fc.record({
    method: fc.constantFrom('GET', 'POST'),
    path: fc.constantFrom('/', '/a'),
    query: fc.oneof(fc.constant(''), fc.string({ maxLength: 20 })),
    headers: fc.array(fc.tuple(name, headerValue), { maxLength: 5 }),
    body: fc.oneof(fc.string({ maxLength: 40 }), fc.json({ maxDepth: 3 }), fc.uint8Array({ maxLength: 20 })),
  }).map((parts) => request(parts));

  it('finds nothing between a request and itself', async () => {
    await fc.assert(
      fc.asyncProperty(arbitraryRequest, fc.boolean(), async (r, strict) => {
        const result = await compareRequests(r, r, { now: NOW, strict });
        expect(result.same).toBe(true);
        expect(result.summary).toEqual([]);
        expect(result.headers.every((h) => h.change === 'same')).toBe(true);
      }),
    );
  });

  const mirror: Record<NamedDifference['change'], NamedDifference['change']> = { added: 'removed', removed: 'added', changed: 'changed', same: 'same' };
  const byName = (entries: NamedDifference[], fold: (n: string) => string) =>
    Object.fromEntries(entries.map((e) => [fold(e.name), { change: e.change, a: e.a, b: e.b }]));
  const mirrored = (entries: NamedDifference[], fold: (n: string) => string) =>
    Object.fromEntries(entries.map((e) => [fold(e.name), { change: mirror[e.change], a: e.b, b: e.a }]));
  const lower = (n: string) => n.toLowerCase();
  const exact = (n: string) => n;

  function expectMirror(ab: RequestComparison, ba: RequestComparison): void {
    expect(ba.same).toBe(ab.same);
    expect(ba.authorization.same).toBe(ab.authorization.same);
    expect(ba.authorization.firstDifference).toBe(ab.authorization.firstDifference);
    expect(ba.authorization.onlyInA).toEqual(ab.authorization.onlyInB);
    expect(byName(ba.headers, lower)).toEqual(mirrored(ab.headers, lower));
    expect(byName(ba.query, exact)).toEqual(mirrored(ab.query, exact));
    expect(ba.body.same).toBe(ab.body.same);
    expect(ba.signatures.onlyInA).toEqual(ab.signatures.onlyInB);
    expect(ba.signatures.schemes.map((s) => [s.scheme, s.sameSignature, [...s.differentInputs].sort()])).toEqual(
      ab.signatures.schemes.map((s) => [s.scheme, s.sameSignature, [...s.differentInputs].sort()]),
    );
    expect(ba.summary.length).toBe(ab.summary.length);
  }

  it('mirrors the comparison when A and B swap', async () => {
    await fc.assert(
      fc.asyncProperty(arbitraryRequest, arbitraryRequest, fc.boolean(), async (a, b, strict) => {
        expectMirror(await compareRequests(a, b, { now: NOW, strict }), await compareRequests(b, a, { now: NOW, strict }));
      }),
    );
  });
});

describe('form bodies', () => {
  const form = (text: string) => request({ method: 'POST', headers: [['Content-Type', 'application/x-www-form-urlencoded; charset=utf-8']], body: text });

  it('compares a form field by field', async () => {
    const result = await compareRequests(form('user=jane&tag=a&tag=b'), form('tag=a&user=jane%20&tag=b'), { now: NOW });
    expect(result.body.kind === 'form' && result.body.changes).toEqual([
      { name: 'user', change: 'changed', a: ['jane'], b: ['jane '] },
      { name: 'tag', change: 'same', a: ['a', 'b'], b: ['a', 'b'] },
    ]);
    expect(result.summary).toEqual(['Form fields differ: user']);
  });
});

describe('multipart bodies', () => {
  const multipart = (boundary: string, ...parts: string[]) =>
    request({ method: 'POST', headers: [['Content-Type', `multipart/form-data; boundary=${boundary}`]], body: `${parts.map((p) => `--${boundary}\r\n${p}\r\n`).join('')}--${boundary}--\r\n` });
  const field = (name: string, value: string) => `Content-Disposition: form-data; name="${name}"\r\n\r\n${value}`;
  const file = (name: string, filename: string, content: string) => `Content-Disposition: form-data; name="${name}"; filename="${filename}"\r\nContent-Type: text/csv\r\n\r\n${content}`;
  const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

  it('sees the same fields and files through another boundary', async () => {
    const result = await compareRequests(multipart('aaa', field('user', 'jane'), file('upload', 'a.csv', 'x,y\n1,2\n')), multipart('bbb', file('upload', 'a.csv', 'x,y\n1,2\n'), field('user', 'jane')));
    expect(result.body).toMatchObject({ kind: 'multipart', same: true, sameBytes: false });
    expect(result.summary).toContain('The multipart bodies carry the same fields and files, framed differently (boundary, order or line ends)');
  });

  it('compares fields by value and files by name, type, size and SHA-256', async () => {
    const result = await compareRequests(multipart('b', field('user', 'jane'), file('upload', 'a.csv', 'x,y\n1,2\n')), multipart('b', field('user', 'jane\n'), file('upload', 'a.csv', 'x,y\n1,3\n')));
    expect(result.body.kind === 'multipart' && result.body.changes).toEqual([
      { name: 'user', change: 'changed', a: [{ filename: null, contentType: null, size: 4, text: 'jane', sha256: sha256('jane') }], b: [{ filename: null, contentType: null, size: 5, text: 'jane\\n', sha256: sha256('jane\n') }] },
      {
        name: 'upload',
        change: 'changed',
        a: [{ filename: 'a.csv', contentType: 'text/csv', size: 8, text: null, sha256: sha256('x,y\n1,2\n') }],
        b: [{ filename: 'a.csv', contentType: 'text/csv', size: 8, text: null, sha256: sha256('x,y\n1,3\n') }],
      },
    ]);
    expect(result.summary).toEqual(['Multipart fields differ: user, upload']);
  });
});

describe('multipart properties', () => {
  const part = fc.record({ name: fc.constantFrom('a', 'b', 'file'), filename: fc.option(fc.constantFrom('x.csv', 'y.png'), { nil: null }), content: fc.string({ maxLength: 12 }) });
  const body = fc.tuple(fc.constantFrom('one', 'two'), fc.array(part, { maxLength: 4 })).map(([boundary, parts]) =>
    request({
      method: 'POST',
      headers: [['Content-Type', `multipart/form-data; boundary=${boundary}`]],
      body:
        parts
          .map((p) => `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"${p.filename ? `; filename="${p.filename}"` : ''}\r\n\r\n${p.content.replace(/-/g, '_')}\r\n`)
          .join('') + `--${boundary}--\r\n`,
    }),
  );

  it('finds no field changed between a body and itself, and mirrors the fields when A and B swap', async () => {
    await fc.assert(
      fc.asyncProperty(body, body, async (a, b) => {
        const self = (await compareRequests(a, a, { now: NOW })).body;
        expect(self.kind === 'multipart' && self.changes.every((c) => c.change === 'same')).toBe(true);
        const ab = (await compareRequests(a, b, { now: NOW })).body;
        const ba = (await compareRequests(b, a, { now: NOW })).body;
        if (ab.kind !== 'multipart' || ba.kind !== 'multipart') throw new Error('both are multipart');
        expect(byName(ba.changes)).toEqual(mirrored(ab.changes));
      }),
    );
  });

  const flip = { added: 'removed', removed: 'added', changed: 'changed', same: 'same' } as const;
  const byName = <V,>(entries: NamedDifference<V>[]) => Object.fromEntries(entries.map((e) => [e.name, { change: e.change, a: e.a, b: e.b }]));
  const mirrored = <V,>(entries: NamedDifference<V>[]) => Object.fromEntries(entries.map((e) => [e.name, { change: flip[e.change], a: e.b, b: e.a }]));
});

describe('credentials in the result', () => {
  it('masks Authorization values in the header list, which still says they changed', async () => {
    const result = await compareRequests(request({ headers: [['Authorization', `Bearer ${token}`]] }), request({ headers: [['Authorization', `Bearer ${token}x`]] }), { now: NOW });
    expect(result.headers).toEqual([{ name: 'Authorization', change: 'changed', a: ['Bearer •••••••• (40 characters)'], b: ['Bearer •••••••• (41 characters)'] }]);
    expect(JSON.stringify(result)).not.toContain(token);
  });

  it('hides a value without a scheme whole', () => {
    expect(maskedCredentials(token)).toBe('•••••••• (40 characters)');
    expect(maskedCredentials('Basic ')).toBe('Basic ');
  });
});

describe('signatures', () => {
  const secret = 'zendesk-webhook-secret';
  async function zendesk(body: string, timestamp: string, key = secret): Promise<ComparedRequest> {
    const headers = await signRequest({ scheme: 'zendesk', secret: key, body, timestamp });
    return request({ method: 'POST', headers: [['Content-Type', 'application/json'], ...headers], body });
  }

  it('names the re-serialised body as the signed input that differs', async () => {
    const a = await zendesk('{"ticket": {"id": 1}}', '2026-01-01T00:00:00Z');
    const b = await zendesk('{"ticket":{"id":1}}', '2026-01-01T00:00:00Z');
    const result = await compareRequests(a, b, { now: NOW });
    expect(result.signatures.schemes).toEqual([
      { scheme: 'zendesk', sameSignature: false, differentInputs: ['body'], bodyUnknown: false, summary: 'Zendesk signatures are over different inputs: the body bytes (the same JSON, written differently)' },
    ]);
    expect(result.summary[0]).toBe('Zendesk signatures are over different inputs: the body bytes (the same JSON, written differently)');
  });

  it('tells a different timestamp, and different secrets when every input is the same', async () => {
    const body = '{"a":1}';
    const later = await compareRequests(await zendesk(body, '2026-01-01T00:00:00Z'), await zendesk(body, '2026-01-01T00:05:00Z'), { now: NOW });
    expect(later.signatures.schemes[0]).toMatchObject({ differentInputs: ['timestamp'], sameSignature: false });
    const secrets = await compareRequests(await zendesk(body, '2026-01-01T00:00:00Z'), await zendesk(body, '2026-01-01T00:00:00Z', 'another-secret'), { now: NOW });
    expect(secrets.signatures.summary).toEqual(['Zendesk signatures differ over the same signed inputs: they were made with different secrets']);
  });

  it('says a signature copied onto another body cannot verify on both', async () => {
    const a = await zendesk('{"a":1}', '2026-01-01T00:00:00Z');
    const copied = request({ ...a, body: '{"a":2}', headers: a.headers });
    expect((await compareRequests(a, copied, { now: NOW })).signatures.summary).toEqual(['Zendesk signatures: the same signature, though the body bytes differ, so one of them cannot verify']);
  });

  it('follows the scheme: Twilio sorts form parameters, so their order is no signed difference', async () => {
    const twilio = async (body: string) => {
      const url = 'https://example.com/b/bin/sms';
      const headers = await signRequest({ scheme: 'twilio', secret, body, url });
      return { ...request({ method: 'POST', headers: [['Content-Type', 'application/x-www-form-urlencoded'], ...headers], body }), url };
    };
    const result = await compareRequests(await twilio('To=%2B1&Body=hi'), await twilio('Body=hi&To=%2B1'), { now: NOW });
    expect(result.signatures.schemes).toEqual([{ scheme: 'twilio', sameSignature: true, differentInputs: [], bodyUnknown: false, summary: '' }]);
  });

  it('says which side alone carries a signature', async () => {
    const result = await compareRequests(await zendesk('{}', '2026-01-01T00:00:00Z'), request({ method: 'POST', body: '{}' }), { now: NOW });
    expect(result.signatures).toMatchObject({ onlyInA: ['zendesk'], onlyInB: [], summary: ['Only A carries a Zendesk signature'] });
  });
});

describe('a request the HTTP parser refused', () => {
  const credentials = `jane.roe@example.com/token:${token}`;
  const encoded = Buffer.from(credentials).toString('base64');
  const head = (authorization: string) => `GET /b/bin/api/v2/users/me.json HTTP/1.1\r\nHost: 127.0.0.1:8787\r\nUser-Agent: curl/8.14.1\r\nAccept: */*\r\nAuthorization: ${authorization}\r\n\r\n`;
  // curl -H "Authorization: Basic $(printf %s … | base64)": GNU base64 wraps its output at 76 columns.
  const wrappedHead = head(`Basic ${encoded.slice(0, 76)}\n${encoded.slice(76)}`);

  /** A refused request as the store keeps it: its head read as best it can be, its bytes as received in place of a body. */
  function refused(received: string): ComparedRequest {
    const read = readRefusedHead(received);
    const refusal = { code: 'HPE_CR_EXPECTED', explanation: explainRefusal('HPE_CR_EXPECTED', read) };
    return request({ method: read.method, path: '/api/v2/users/me.json', headers: read.headers, refusal, body: received });
  }
  const good = request({ path: '/api/v2/users/me.json', headers: readRefusedHead(head(`Basic ${encoded}`)).headers });

  it('says first that B was refused and why, compares its head, and shows no body for it', async () => {
    const result = await compareRequests(good, refused(wrappedHead), { now: NOW });
    expect(result.same).toBe(false);
    expect(result.summary[0]).toMatch(/^B was refused by the HTTP parser: the Authorization header contains a line break where base64 wrapped it at 76 columns\. Send exactly .*base64 -w0/);
    expect(result.refusal).toMatchObject({ same: false, a: null, b: { code: 'HPE_CR_EXPECTED' } });
    // The head as read: same method and path, the Authorization value differs by the line break, masked.
    expect(result.method.same && result.path.same).toBe(true);
    expect(result.authorization.same).toBe(false);
    expect(result.authorization.summary.join(' ')).toMatch(/line break/);
    expect(result.authorization.onlyInB.map((f) => f.code)).toContain('whitespace');
    expect(result.headers.find((h) => h.name === 'Authorization')).toEqual({
      name: 'Authorization',
      change: 'changed',
      a: [`Basic •••••••• (${encoded.length} characters)`],
      b: [`Basic •••••••• (${encoded.length + 1} characters)`],
    });
    expect(result.body).toEqual({ kind: 'refused', same: false, sameBytes: false, refused: ['b'] });
    // Its head is never compared as if it were a body.
    expect(JSON.stringify(result)).not.toContain('HTTP/1.1');
    expect(JSON.stringify(result)).not.toContain(encoded.slice(0, 20));
  });

  it('mirrors when A is the refused one, and finds two refused alike the same', async () => {
    const swapped = await compareRequests(refused(wrappedHead), good, { now: NOW });
    expect(swapped.summary[0]).toMatch(/^A was refused by the HTTP parser: the Authorization header contains a line break/);
    expect(swapped.body).toEqual({ kind: 'refused', same: false, sameBytes: false, refused: ['a'] });
    const twice = await compareRequests(refused(wrappedHead), refused(wrappedHead), { now: NOW });
    expect(twice).toMatchObject({ same: true, summary: [], refusal: { same: true }, body: { kind: 'refused', same: true, refused: ['a', 'b'] } });
    // Refused for different reasons, both are named.
    const spaced = refused(`GET /b/bin/api/v2/users/me.json HTTP/1.1\r\nHost: 127.0.0.1:8787\r\nX-Trace : 1\r\n\r\n`);
    const both = await compareRequests(refused(wrappedHead), { ...spaced, refusal: { code: 'HPE_INVALID_HEADER_TOKEN', explanation: 'the X-Trace header has a space before its colon' } }, { now: NOW });
    expect(both.summary.slice(0, 2)).toEqual([
      expect.stringMatching(/^A was refused by the HTTP parser: the Authorization header contains a line break/),
      'B was refused by the HTTP parser: the X-Trace header has a space before its colon',
    ]);
  });
});
