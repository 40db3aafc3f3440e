import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { StoredBody } from '../../../shared/api.ts';
import { compareRequests, type ComparedRequest, type NamedDifference, type RequestComparison } from '../../../shared/compare/index.ts';
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
  return { method: 'GET', path: '/', query: '', headers: [], ...parts, body: body(parts.body ?? '') };
}

const basic = (text: string) => `Basic ${Buffer.from(text, 'utf8').toString('base64')}`;
const token = '6wiIBWbGkBMo1mRDMuVwkw1EPsNkeUj95PIz2akv';

describe('the Authorization header compared by meaning', () => {
  it('names a line break that echo added before base64, without showing the token', () => {
    const a = request({ headers: [['Authorization', basic(`jane@example.com/token:${token}`)]] });
    // `echo 'jane@example.com/token:…' | base64`
    const b = request({ headers: [['Authorization', basic(`jane@example.com/token:${token}\n`)]] });
    const result = compareRequests(a, b, { now: NOW });
    expect(result.same).toBe(false);
    expect(result.summary[0]).toBe("Same credentials, but B's API token ends with a line break");
    expect(result.authorization.firstDifference).toBe(41);
    expect(result.authorization.onlyInB.map((f) => f.code)).toContain('trailing-newline');
    expect(JSON.stringify(result)).not.toContain(token);
  });

  it('sees the same credentials through scheme case and missing padding', () => {
    const value = Buffer.from('jane@example.com:pw1').toString('base64');
    expect(value.endsWith('=')).toBe(true);
    const a = request({ headers: [['Authorization', `Basic ${value}`]] });
    const b = request({ headers: [['Authorization', `basic ${value.replace(/=+$/, '')}`]] });
    const summary = compareRequests(a, b, { now: NOW }).summary[0];
    expect(summary).toMatch(/^Same credentials, written differently: /);
    expect(summary).toContain("B lacks the base64 '=' padding");
    expect(summary).toContain('A writes the scheme "Basic", B "basic"');
  });

  it('tells a pasted no-break space in the secret', () => {
    const a = request({ headers: [['Authorization', basic('jane@example.com:secret')]] });
    const b = request({ headers: [['Authorization', basic('jane@example.com:secret\u00a0')]] });
    expect(compareRequests(a, b, { now: NOW }).summary[0]).toBe("Same credentials, but B's password has an invisible U+00A0 NO-BREAK SPACE at character 7");
  });

  it('says the encoding when the same credentials are UTF-8 on one side and Latin-1 on the other', () => {
    const a = request({ headers: [['Authorization', `Basic ${Buffer.from('jane@example.com:pässword', 'utf8').toString('base64')}`]] });
    const b = request({ headers: [['Authorization', `Basic ${Buffer.from('jane@example.com:pässword', 'latin1').toString('base64')}`]] });
    expect(compareRequests(a, b, { now: NOW }).summary[0]).toBe('Same credentials, but different encoding: A is UTF-8, B is ISO-8859-1 (Latin-1)');
  });

  it('shows different emails and hides different secrets', () => {
    const a = request({ headers: [['Authorization', basic('jane@example.com:hunter22')]] });
    const b = request({ headers: [['Authorization', basic('jane.roe@example.com:hunter23')]] });
    const summary = compareRequests(a, b, { now: NOW }).summary;
    expect(summary).toEqual([
      'Different emails: A sends "jane@example.com", B sends "jane.roe@example.com"',
      "Different passwords: both are 8 characters; they first differ at character 8",
    ]);
  });

  it('says which side sends no Authorization header', () => {
    const result = compareRequests(request(), request({ headers: [['Authorization', `Bearer ${token}`]] }), { now: NOW });
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

  it('aligns headers by name ignoring case and order, and keeps duplicates', () => {
    const b = request({
      method: 'POST',
      query: 'tag=a&page=1&tag=b',
      headers: [
        ['accept', '*/*'],
        ['content-type', 'application/json'],
        ['X-Trace', '1'],
      ],
    });
    const result = compareRequests(a, b, { now: NOW });
    expect(result.headers.find((h) => h.name === 'Accept')).toEqual({ name: 'Accept', change: 'changed', a: ['*/*', 'text/plain'], b: ['*/*'] });
    expect(result.headers.find((h) => h.name === 'Content-Type')?.change).toBe('same');
    expect(result.headerNotes).toEqual([
      'Header name case differs: A sends "Content-Type", B sends "content-type"',
      'Header name case differs: A sends "Accept", B sends "accept"',
      'The headers both send come in a different order',
    ]);
    expect(result.summary).toEqual(['Headers differ: Accept (changed)']);
  });

  it('counts case and order only when strict', () => {
    const b = request({ method: 'POST', query: 'tag=a&page=1&tag=b', headers: [...a.headers].reverse().map(([n, v]) => [n.toLowerCase(), v] as [string, string]) });
    const reordered = request({ method: 'POST', query: 'page=1&tag=a&tag=b', headers: [a.headers[1]!, a.headers[0]!, a.headers[2]!, a.headers[3]!] });
    expect(compareRequests(a, reordered, { now: NOW }).same).toBe(true);
    expect(compareRequests(a, reordered, { now: NOW, strict: true }).same).toBe(false);
    expect(compareRequests(a, b, { now: NOW, strict: true }).summary).toContain('The headers both send come in a different order');
  });

  it('compares the method, path and query per key', () => {
    const b = request({ method: 'PUT', path: '/hook', query: 'page=2&tag=a&tag=b', headers: a.headers });
    const result = compareRequests(a, b, { now: NOW });
    expect(result.query.find((q) => q.name === 'page')).toEqual({ name: 'page', change: 'changed', a: ['1'], b: ['2'] });
    expect(result.summary).toEqual(['Different methods: A is POST, B is PUT', 'Different paths: A calls /, B calls /hook', 'Query parameters differ: page']);
  });
});

describe('bodies', () => {
  it('compares JSON by path, key order ignored, and notes different bytes', () => {
    const reserialised = compareRequests(request({ body: '{"ticket":{"id":1,"status":"open"}}' }), request({ body: '{ "ticket": { "status": "open", "id": 1 } }' }));
    expect(reserialised.body).toMatchObject({ kind: 'json', same: true, sameBytes: false, changes: [] });
    expect(reserialised.same).toBe(false);
    expect(reserialised.summary).toEqual(['The bodies are the same JSON, written with different bytes (a signature over the body tells them apart)']);
    const changed = compareRequests(request({ body: '{"ticket":{"status":"open","tags":["a"]}}' }), request({ body: '{"ticket":{"status":"solved","tags":["a","b"]},"x":null}' }));
    expect(changed.body.kind === 'json' && changed.body.changes).toEqual([
      { path: '$.ticket.status', change: 'changed', a: '"open"', b: '"solved"' },
      { path: '$.ticket.tags[1]', change: 'added', b: '"b"' },
      { path: '$.x', change: 'added', b: 'null' },
    ]);
  });

  it('diffs text by lines with line ends and invisible characters shown', () => {
    const result = compareRequests(request({ body: 'one\ntwo\nthree\n' }), request({ body: 'one\r\ntwo\nthree\ufeff\n' }));
    expect(result.body.kind === 'text' && result.body.lines).toEqual([
      { op: 'removed', text: 'one\\n' },
      { op: 'added', text: 'one\\r\\n' },
      { op: 'same', text: 'two\\n' },
      { op: 'removed', text: 'three\\n' },
      { op: 'added', text: 'three⟨U+FEFF⟩\\n' },
    ]);
  });

  it('compares binary bodies as bytes', () => {
    const result = compareRequests(request({ body: new Uint8Array([0xff, 0x00, 0x01]) }), request({ body: new Uint8Array([0xff, 0x00, 0x02, 0x03]) }));
    expect(result.body).toEqual({ kind: 'bytes', same: false, sameBytes: false, sizes: [3, 4], firstDifference: 2 });
  });

  it('makes a BOM, NBSP, zero-width space and control characters visible', () => {
    expect(visibleText('\ufeffa\u00a0b\u200bc\t\u0000“d”')).toBe('⟨U+FEFF⟩a⟨U+00A0⟩b⟨U+200B⟩c\\t⟨U+0000⟩“d”');
  });
});

describe('properties', () => {
  const name = fc.constantFrom('Authorization', 'authorization', 'Content-Type', 'X-Id', 'Accept');
  const headerValue = fc.oneof(
    fc.string({ maxLength: 30 }),
    fc.string({ maxLength: 30 }).map((s) => basic(s)),
    fc.string({ maxLength: 30 }).map((s) => `Bearer ${s}`),
  );
  const arbitraryRequest = fc.record({
    method: fc.constantFrom('GET', 'POST'),
    path: fc.constantFrom('/', '/a'),
    query: fc.oneof(fc.constant(''), fc.string({ maxLength: 20 })),
    headers: fc.array(fc.tuple(name, headerValue), { maxLength: 5 }),
    body: fc.oneof(fc.string({ maxLength: 40 }), fc.json({ maxDepth: 3 }), fc.uint8Array({ maxLength: 20 })),
  }).map((parts) => request(parts));

  it('finds nothing between a request and itself', () => {
    fc.assert(
      fc.property(arbitraryRequest, fc.boolean(), (r, strict) => {
        const result = compareRequests(r, r, { now: NOW, strict });
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
    expect(ba.summary.length).toBe(ab.summary.length);
  }

  it('mirrors the comparison when A and B swap', () => {
    fc.assert(
      fc.property(arbitraryRequest, arbitraryRequest, fc.boolean(), (a, b, strict) => {
        expectMirror(compareRequests(a, b, { now: NOW, strict }), compareRequests(b, a, { now: NOW, strict }));
      }),
    );
  });
});

describe('form bodies', () => {
  const form = (text: string) => request({ method: 'POST', headers: [['Content-Type', 'application/x-www-form-urlencoded; charset=utf-8']], body: text });

  it('compares a form field by field', () => {
    const result = compareRequests(form('user=jane&tag=a&tag=b'), form('tag=a&user=jane%20&tag=b'), { now: NOW });
    expect(result.body.kind === 'form' && result.body.fields).toEqual([
      { name: 'user', change: 'changed', a: ['jane'], b: ['jane '] },
      { name: 'tag', change: 'same', a: ['a', 'b'], b: ['a', 'b'] },
    ]);
    expect(result.summary).toEqual(['Form fields differ: user']);
  });
});
