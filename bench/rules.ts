import type { Condition, Rule } from '../shared/rules/types.ts';
import { alternate, cpuRow, roundsNote } from './compare.ts';
import type { BenchContext } from './context.ts';
import { benchCredentials, captureHeaders, kib, ticketJson } from './payloads.ts';
import type { ServerProcess } from './processes.ts';
import { judge, ratio, row, rps, type SectionResult } from './report.ts';
import { startAuthbin, withServers } from './servers.ts';

const bin = 'rules';

/** A rule that the bench's request never meets, answering what the real API would for it. */
const missed = (name: string, condition: Condition, status = 400): Omit<Rule, 'id'> => ({ name, when: [condition], respond: { status } });

/**
 * Twenty rules of mixed kinds, none of which the bench's request (a 1 KB ticket webhook with Basic
 * API-token credentials) meets until the last, which checks the credentials: every capture walks
 * them all. `pattern` is the one regular expression on the body, or none.
 */
function twentyRules(bodyPattern: boolean): Omit<Rule, 'id'>[] {
  return [
    missed('another webhook', { header: { name: 'X-Zendesk-Webhook-Id', equals: '01HZOTHER' } }),
    missed('old API', { path: '/api/v1/*' }, 404),
    missed('updates', { method: 'PUT' }, 405),
    missed('closed tickets', { body: { contains: '"status":"CLOSED"' } }),
    missed('curl', { header: { name: 'User-Agent', matches: '^curl/\\d+' } }),
    missed('debugging', { query: { name: 'debug' } }),
    missed('admin', { pathRegex: '^/admin/' }, 403),
    missed('urgent', { body: { json: { path: '$.detail.priority', equals: 'URGENT' } } }),
    missed('tests', { header: { name: 'X-Test' } }),
    missed('retries', { path: '/hooks/*/retry' }),
    bodyPattern ? missed('deletions', { body: { matches: '"type":\\s*"zen:event-type:ticket\\.deleted"' } }) : missed('deletions', { body: { contains: 'zen:event-type:ticket.deleted' } }),
    missed('XML', { header: { name: 'Content-Type', contains: 'xml' } }, 415),
    missed('deletes', { method: 'DELETE' }, 405),
    missed('solved', { body: { json: { path: '$.type', equals: 'zen:event-type:ticket.solved' } } }),
    missed('proxied', { header: { name: 'X-Forwarded-For' } }),
    missed('second page', { query: { name: 'page', equals: '2' } }),
    missed('XML paths', { pathRegex: '\\.xml$' }, 415),
    missed('low priority', { body: { contains: '"priority":"LOW"' } }),
    missed('Stripe', { header: { name: 'User-Agent', equals: 'Stripe/1.0' } }),
    { name: 'Zendesk API', when: [{ credentials: benchCredentials }], respond: { status: 200, headers: { 'Content-Type': 'application/json' }, body: '{"ok":true}' } },
  ];
}

/** An authbin whose bench bin has these rules, answered once already: its first capture compiles them, and starts the worker thread a body pattern needs. */
async function startWithRules(ctx: BenchContext, file: string, rules: Omit<Rule, 'id'>[] | null): Promise<ServerProcess> {
  const server = await startAuthbin({ db: ctx.file(file) });
  if (rules) {
    const answer = await fetch(`${server.url}/api/bins/${bin}/rules`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ rules: rules.map((rule) => ({ id: '', ...rule })) }) });
    if (answer.status !== 200) throw new Error(`setting the bench's rules answered ${answer.status}: ${await answer.text()}`);
  }
  const first = await fetch(`${server.url}/b/${bin}/hook`, { method: 'POST', headers: captureHeaders(), body: new Uint8Array(ticketJson(kib)) });
  if (first.status !== 200) throw new Error(`the first capture answered ${first.status}: ${await first.text()}`);
  return server;
}

/**
 * Issue 19's target: capture on a bin with 20 rules (none matching until the last) stays ≥ 0.9× the
 * same capture on a bin without rules. Two authbins, alike but for the rules, alternate; a third has
 * a regular expression on the body among its rules.
 */
export async function rulesSection(ctx: BenchContext): Promise<SectionResult> {
  const { scale, quick } = ctx;
  const shape = { path: `/b/${bin}/hook`, method: 'POST', headers: captureHeaders(), body: ticketJson(kib), connections: 50 };
  ctx.log('rules: 1 KB body, 50 connections, a bin without rules, with 20, and with 20 holding a body pattern');
  const [plain, ruled, bodyPattern] = await withServers(
    [() => startWithRules(ctx, 'rules-none.db', null), () => startWithRules(ctx, 'rules-20.db', twentyRules(false)), () => startWithRules(ctx, 'rules-20-body.db', twentyRules(true))],
    (servers) => alternate(servers.map((server) => ({ server })), shape, { rounds: scale.rounds, seconds: scale.loadSeconds, warmupSeconds: scale.warmupSeconds }),
  );
  for (const file of ['rules-none.db', 'rules-20.db', 'rules-20-body.db']) ctx.removeDb(ctx.file(file));
  const speed = ruled!.rps / plain!.rps;
  const withBody = bodyPattern!.rps / plain!.rps;
  const failed = [plain!, ruled!, bodyPattern!].reduce((sum, result) => sum + result.non2xx + result.errors, 0);
  return {
    rows: [
      row('capture 1 KB ×50, 20 rules: requests/s', rps(ruled!.rps), {
        reference: `no rules ${rps(plain!.rps)} → ${ratio(speed)}`,
        target: '≥ 0.9× no rules',
        verdict: judge(speed >= 0.9, { quick }),
        values: { rps: ruled!.rps, plainRps: plain!.rps, ratio: speed },
      }),
      cpuRow('capture 1 KB ×50, 20 rules', ruled!, plain!, 'no rules'),
      row('capture 1 KB ×50, 20 rules with a body pattern: requests/s', rps(bodyPattern!.rps), {
        reference: `no rules ${rps(plain!.rps)} → ${ratio(withBody)}`,
        values: { rps: bodyPattern!.rps, ratio: withBody },
      }),
      cpuRow('capture 1 KB ×50, 20 rules with a body pattern', bodyPattern!, plain!, 'no rules'),
      row('rules: non-2xx or failed, all three', String(failed), { target: '0', verdict: judge(failed === 0, { quick }), values: { failed } }),
    ],
    notes: [
      roundsNote('rules', [
        { name: 'no rules', result: plain! },
        { name: '20 rules', result: ruled! },
        { name: '20 with a body pattern', result: bodyPattern! },
      ]),
      'The 20 rules: headers (equals, contains, present, a pattern), paths (globs, patterns), methods, query parameters, body text and JSON paths, and last the credentials, which hold. The body pattern asks for a deletion event: the 1 KB body (a creation event) lacks "zen:event-type:ticket.deleted", which every match holds, so it is decided without running the pattern; a body that holds them all would send it to the worker thread (pattern length × text length > 1,024).',
    ],
  };
}
