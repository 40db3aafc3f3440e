import { describe, expect, it } from 'vitest';
import type { RulesResponse } from '../../../shared/rules/types.ts';
import { startTestAppOn, testEngines } from '../../helpers/app.ts';

describe.each(testEngines())('the counter of a rule without times on $name', (engine) => {
  /** The bin's rules' counters as the API gives them. */
  const answered = async (base: string, bin: string) =>
    ((await (await fetch(`${base}/api/bins/${bin}/rules`)).json()) as RulesResponse).rules.map((rule) => rule.answered);
  const capture = (base: string, bin: string) => fetch(`${base}/b/${bin}/hook`, { method: 'POST', body: 'x' }).then((response) => response.status);

  it('counts every capture it answered, through a restart, a change of the rules and a reset', async () => {
    const { db, drop } = await engine.createDatabase();
    let t = await startTestAppOn(db);
    let base = await t.listen();
    const rules = [{ name: 'always', when: [], respond: { status: 202 } }];
    expect((await fetch(`${base}/api/bins/counted/rules`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ rules }) })).status).toBe(200);
    expect(await Promise.all(Array.from({ length: 30 }, () => capture(base, 'counted')))).toEqual(Array(30).fill(202));
    expect(await answered(base, 'counted')).toEqual([30]);
    await t.close();

    t = await startTestAppOn(db, {}, drop);
    base = await t.listen();
    expect(await answered(base, 'counted')).toEqual([30]);
    await capture(base, 'counted');
    // Sent back as the API shows it, the rule keeps its count.
    const shown = ((await (await fetch(`${base}/api/bins/counted/rules`)).json()) as RulesResponse).rules;
    expect((await fetch(`${base}/api/bins/counted/rules`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ rules: shown }) })).status).toBe(200);
    await capture(base, 'counted');
    expect(await answered(base, 'counted')).toEqual([32]);
    expect((await fetch(`${base}/api/bins/counted/rules/reset`, { method: 'POST' })).status).toBe(200);
    await capture(base, 'counted');
    expect(await answered(base, 'counted')).toEqual([1]);
    await t.close();
  });
});
