import { Hono } from 'hono';
import { readRules } from '../../shared/rules/validate.ts';
import type { RulesResponse } from '../../shared/rules/types.ts';
import type { AppDeps, AppEnv } from '../app-deps.ts';
import { RuleSecretProblem } from '../rules/stored-rules.ts';
import { ApiFailure } from '../errors.ts';
import { SecretKeyMissing } from '../rules/secrets.ts';
import { binId, isObject, jsonBody } from './validate.ts';

/** A bin's rules (#19): read, replaced whole, counters reset. Secrets only ever leave masked. */
export function ruleRoutes({ store }: AppDeps) {
  async function existingBin(name: string): Promise<string> {
    const id = binId(name);
    if (!(await store.getBin(id))) throw new ApiFailure(404, 'bin_not_found', `no bin named "${id}"`);
    return id;
  }
  return new Hono<AppEnv>()
    .get('/:bin/rules', async (c) => {
      const id = await existingBin(c.req.param('bin'));
      return c.json({ rules: await store.getRules(id) } satisfies RulesResponse, 200);
    })
    .put('/:bin/rules', async (c) => {
      const id = binId(c.req.param('bin'));
      const input = await jsonBody(c);
      if (!isObject(input)) throw new ApiFailure(400, 'invalid_rules', 'expected {"rules": [...]}');
      const read = readRules(input.rules);
      // The first problem, as "path: message": the rules editor shows it beside the field it names.
      if ('problems' in read) throw new ApiFailure(400, 'invalid_rules', read.problems.map(({ path, message }) => `${path}: ${message}`)[0]!);
      // Rules for a bin not made yet make it, as the UI does when a response is set on one: a capture would anyway.
      const made = !(await store.getBin(id)) && (await store.createBin(id, null)) !== undefined;
      try {
        return c.json({ rules: await store.setRules(id, read.rules) } satisfies RulesResponse, 200);
      } catch (error) {
        // A refused list leaves nothing behind, not even the bin made for it.
        if (made) await store.deleteBin(id);
        if (error instanceof RuleSecretProblem) throw new ApiFailure(400, 'invalid_rules', `${error.path}: ${error.message}`);
        if (error instanceof SecretKeyMissing) throw new ApiFailure(409, 'secret_key_required', error.message);
        throw error;
      }
    })
    .post('/:bin/rules/reset', async (c) => {
      const id = await existingBin(c.req.param('bin'));
      return c.json({ rules: await store.resetRules(id) } satisfies RulesResponse, 200);
    });
}
