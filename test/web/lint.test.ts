// @vitest-environment node
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** Lints one fixture as `npm run lint` lints the code: the repository's .oxlintrc.json, warnings fail. */
async function lint(fixture: string): Promise<{ failed: boolean; output: string }> {
  try {
    const { stdout } = await promisify(execFile)('node_modules/.bin/oxlint', ['--deny-warnings', '-f', 'unix', `test/web/lint-fixtures/${fixture}`], { cwd: root });
    return { failed: false, output: stdout };
  } catch (e) {
    const error = e as { code?: number; stdout?: string };
    if (error.code !== 1) throw e;
    return { failed: true, output: error.stdout ?? '' };
  }
}

describe('the linter guards Preact hooks', () => {
  it('fails on a component whose effect omits a dependency, naming it', async () => {
    const { failed, output } = await lint('missing-dependency.tsx');
    expect(failed).toBe(true);
    expect(output).toContain("missing-dependency.tsx:7:17: React Hook useEffect has a missing dependency: 'bin' [Error/react-hooks(exhaustive-deps)]");
  });

  it('fails on a hook called conditionally', async () => {
    const { failed, output } = await lint('conditional-hook.tsx');
    expect(failed).toBe(true);
    expect(output).toContain('React Hook "useState" is called conditionally');
    expect(output).toContain('[Error/react-hooks(rules-of-hooks)]');
  });

  it('passes the same component with the dependency listed', async () => {
    expect(await lint('complete-dependencies.tsx')).toEqual({ failed: false, output: '' });
  });
});
