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

  it.each(['(?=a)a', '(?!a)b', '(?<=a)b', '(?<!a)b'])("refuses %s: V8's linear-time engine has no lookaround", (pattern) => {
    expect(backtrackingRisk(pattern)).toBe('lookahead and lookbehind are not allowed in rules');
  });

  it.each(['a{17}', '\\d{0,17}', '[a-z]{100,}', '(?:ab{4}){5}'])('refuses %s: a count above 16', (pattern) => {
    expect(backtrackingRisk(pattern)).toMatch(/^a count above 16 \("\{[\d,]+\}"/);
  });

  it.each(['a{16}', '(?:ab{4}){4}', '(?<name>a)b', '[{]17}', '\\{17}'])('lets %s through', (pattern) => {
    expect(backtrackingRisk(pattern)).toBeNull();
  });
});
