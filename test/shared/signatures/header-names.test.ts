import { describe, expect, it } from 'vitest';
import { signatureHeaderNames } from '../../../shared/signatures/header-names.ts';
import { SIGNATURE_SCHEMES } from '../../../shared/signatures/scheme-names.ts';
import { SCHEMES } from '../../../shared/signatures/schemes/index.ts';

describe('the scheme list', () => {
  it('has one module per scheme name, in the listed order', () => {
    expect(SCHEMES.map((module) => module.scheme)).toEqual(SIGNATURE_SCHEMES);
  });
});

describe('signatureHeaderNames', () => {
  it('names exactly the headers the schemes sign with', () => {
    expect([...signatureHeaderNames].sort()).toEqual([...new Set(SCHEMES.map((s) => s.signatureHeader.toLowerCase()))].sort());
  });
});
