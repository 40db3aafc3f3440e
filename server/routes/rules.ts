import { Hono } from 'hono';
import { problemLine, readRules } from '../../shared/rules/validate.ts';
import type { Rule, RulesResponse } from '../../shared/rules/types.ts';
import { sessionCookie } from '../access.ts';
import type { AppDeps, AppEnv } from '../app-deps.ts';
import { ApiFailure } from '../errors.ts';
import { binId, jsonBody } from './validate.ts';

/** A bin's rules (#19): read, replaced whole, counters reset. Secrets only ever leave masked. */
export function ruleRoutes({ store }: AppDeps) {
  async function existingBin(name: string): Promise<string> {
    const id = binId(name);
    if (!(await store.getBin(id))) throw new ApiFailure(404, 'bin_not_found', `no bin named "${id}"`);
    return id;
  }
  function answered(rules: Rule[] | undefined): RulesResponse {
    if (!rules) throw new ApiFailure(501, 'rules_unavailable', 'this database engine does not keep rules yet: use SQLite');
    return { rules };
  }
  return new Hono<AppEnv>()
    .get('/:bin/rules', async (c) => {
      const id = await existingBin(c.req.param('bin'));
      return c.json(answered(await store.getRules(id)), 200);
    })
    .put('/:bin/rules', async (c) => {
      const id = await existingBin(c.req.param('bin'));
      const read = readRules(await jsonBody(c), sessionCookie);
      if ('problem' in read) throw new ApiFailure(400, 'invalid_rules', problemLine(read.problem));
      return c.json(answered(await store.setRules(id, read.rules)), 200);
    })
    .post('/:bin/rules/reset', async (c) => {
      const id = await existingBin(c.req.param('bin'));
      return c.json(answered(await store.resetRules(id)), 200);
    });
}
