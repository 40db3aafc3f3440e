import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { globMatches } from '../../../shared/rules/conditions/glob.ts';

/** The meaning a glob had as a regular expression: `*` is `.*`, the rest literal. */
function asRegExp(glob: string): RegExp {
  return new RegExp(`^${glob.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 's');
}

describe('globMatches', () => {
  it.each<[string, string, boolean]>([
    ['/api/v2/*', '/api/v2/tickets.json', true],
    ['/api/*/tickets.json', '/api/v2/tickets.json', true],
    ['/api/v1/*', '/api/v2/tickets.json', false],
    ['/api/v2/tickets.json', '/api/v2/tickets.json', true],
    ['/api/v2/tickets.json', '/api/v2/tickets_json', false],
    ['*', '', true],
    ['', '', true],
    ['', '/', false],
    ['/a*b*c', '/abxbc', true],
    ['/a*b*c', '/abxbd', false],
    ['**', '/x', true],
  ])('%s on %s: %s', (glob, path, expected) => {
    expect(globMatches(glob, path)).toBe(expected);
  });

  it('means what the same glob as a regular expression means', () => {
    const text = fc.string({ unit: fc.constantFrom('a', 'b', '/', '.', '*'), maxLength: 12 });
    fc.assert(
      fc.property(text, text.map((path) => path.replaceAll('*', '')), (glob, path) => {
        expect(globMatches(glob, path)).toBe(asRegExp(glob).test(path));
      }),
      { numRuns: 2000 },
    );
  });

  it('stays quick on the globs that backtrack as regular expressions', () => {
    const started = performance.now();
    expect(globMatches('*a*a*a*a*a*a*b', `/${'a'.repeat(16 * 1024)}`)).toBe(false);
    expect(performance.now() - started).toBeLessThan(500);
  });
});
