import type { CapturedRequest } from '../../server/store/store.ts';

/** A small captured request for store tests; `overrides` change what the test is about. */
export function captured(bin: string, overrides: Partial<CapturedRequest> = {}): CapturedRequest {
  return {
    bin,
    receivedAt: Date.now(),
    method: 'POST',
    path: '/',
    query: '',
    httpVersion: '1.1',
    remoteAddress: '127.0.0.1',
    remotePort: 50000,
    headers: [['Host', 'h']],
    body: Buffer.from('body'),
    bodySize: 4,
    truncated: false,
    ...overrides,
  };
}
