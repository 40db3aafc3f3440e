import type { AnalyzeInput, HeaderPair } from '../shared/auth/types.ts';

/**
 * Authorization headers as they reach a bin: right ones, and the common ways people get them wrong
 * (a newline from `echo`, UTF-16 from PowerShell, a missing `/token`, a doubled scheme…). Every
 * credential here is made up.
 */
const b64 = (text: string, encoding: BufferEncoding = 'utf8') => Buffer.from(text, encoding).toString('base64');
const token = 'Fake0Token1For2The3Bench4Only5Not6Real7X';
const jwt = (payload: object) =>
  [{ alg: 'HS256', typ: 'JWT' }, payload].map((part) => Buffer.from(JSON.stringify(part)).toString('base64url')).join('.') + '.c2lnbmF0dXJl';

const authorizations: string[] = [
  `Basic ${b64(`agent@example.com/token:${token}`)}`,
  `Basic ${b64(`agent@example.com/token:${token}\n`)}`,
  `Basic ${b64(`agent@example.com/token:${token}`, 'utf16le')}`,
  `Basic ${b64(`agent@example.com:${token}`)}`,
  `Basic ${b64(`agent@example.com/token:${token}:`)}`,
  `Basic Basic ${b64(`agent@example.com/token:${token}`)}`,
  'Basic Basic_64_encoded_code',
  `Basic ${b64(`agent@example.com/token:${token} `)}`,
  `Basic ${b64(`agent@example.com/token:\u200b${token}`)}`,
  `Basic ${Buffer.from(`agent@example.com/token:${token}?`).toString('base64url')}`,
  `Basic ${b64(b64(`agent@example.com/token:${token}`))}`,
  `Basic ${b64('agent@example.com:p£ssword', 'latin1')}`,
  `basic ${b64('agent@example.com:correct horse battery staple')}`,
  `Bearer ${jwt({ sub: 'agent', exp: 4_102_444_800 })}`,
  `Bearer ${jwt({ sub: 'agent', exp: 1_600_000_000 })}`,
  `Bearer ${b64('agent@example.com/token:abc')}`,
  `Bearer ${token}`,
  `Token token="${token}"`,
];

function webhookHeaders(authorization: string | undefined): HeaderPair[] {
  const headers: HeaderPair[] = [
    ['Host', 'authbin.example.com'],
    ['User-Agent', 'Zendesk Webhook'],
    ['Content-Type', 'application/json'],
  ];
  if (authorization !== undefined) headers.push(['Authorization', authorization]);
  headers.push(['X-Zendesk-Webhook-Id', '01HZBENCH0000000000000000'], ['Content-Length', '17']);
  return headers;
}

/** Inputs to `analyze()`: each Authorization value alone, with an expected credential, and a few without the header. */
export function analysisCorpus(): AnalyzeInput[] {
  const corpus: AnalyzeInput[] = [];
  for (const authorization of authorizations) {
    corpus.push({ headers: webhookHeaders(authorization), url: '/hook', body: '{"ticket":{"id":1}}', contentType: 'application/json' });
    corpus.push({
      headers: webhookHeaders(authorization),
      url: '/hook?attempt=1',
      expected: { kind: 'api-token', email: 'agent@example.com', token },
    });
  }
  corpus.push({ headers: webhookHeaders(undefined), url: `/hook?api_token=${token}` });
  corpus.push({ headers: [...webhookHeaders(undefined), ['X-Api-Key', token]], expected: { kind: 'api-key', header: 'X-Api-Key', value: token } });
  corpus.push({ headers: webhookHeaders(undefined), body: `{"email":"agent@example.com","password":"${token}"}`, contentType: 'application/json' });
  return corpus;
}
