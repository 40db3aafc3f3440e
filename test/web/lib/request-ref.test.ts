import { describe, expect, it } from 'vitest';
import { requestIdFrom } from '../../../web/lib/request-ref.ts';

describe('requestIdFrom', () => {
  it('reads an id, a request link or a path', () => {
    expect(requestIdFrom(' 42 ')).toBe('42');
    expect(requestIdFrom('http://localhost:8787/bins/demo/requests/42?status=4xx#x')).toBe('42');
    expect(requestIdFrom('/bins/demo/requests/42/')).toBe('42');
    expect(requestIdFrom('   ')).toBeNull();
  });
});
