import { describe, expect, it } from 'vitest';
import { signatureHeaderNames } from '../../../shared/signatures/header-names.ts';
import { SCHEMES } from '../../../shared/signatures/schemes/index.ts';

describe('signatureHeaderNames', () => {
  it('names exactly the headers the schemes sign with', () => {
    expect([...signatureHeaderNames].sort()).toEqual([...new Set(SCHEMES.map((s) => s.signatureHeader.toLowerCase()))].sort());
  });
});
