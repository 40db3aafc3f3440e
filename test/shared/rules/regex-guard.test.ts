import { describe, expect, it } from 'vitest';
import { backtrackingRisk } from '../../../shared/rules/regex-guard.ts';

describe('backtrackingRisk', () => {
  it.each(['^/api/v\\d+/', 'a+b*c{2,}', '(ab)+', '(a|b)*', '[(a+)+]', '\\(a+\\)+', '(a{1})+', '(?:x?)+'])('lets %s through', (pattern) => {
    expect(backtrackingRisk(pattern)).toBeNull();
  });

  it.each(['(a+)+$', '(\\w*)*x', '((a+))+', '(a|b+){2,}', '(?:[a-z]+\\.)+com', '(a{2,})*'])('refuses %s', (pattern) => {
    expect(backtrackingRisk(pattern)).toMatch(/a repeated group holds a repeat/);
  });

  it('refuses backreferences', () => {
    expect(backtrackingRisk('(a)\\1')).toBe('backreferences are not allowed in rules');
    expect(backtrackingRisk('(?<x>a)\\k<x>')).toBe('backreferences are not allowed in rules');
  });
});
