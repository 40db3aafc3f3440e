import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RequestPage } from '../../shared/api.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { binCount, getJson, report } from './support/api.ts';

const day = 86_400_000;
const preload = join(import.meta.dirname, 'support', 'clock-step.cjs');

/** The server with its wall clock `offsetMs` off, stepped back `stepMs` at each SIGUSR2; requests kept 1 day. */
function startWithClock(dbPath: string, offsetMs: number, stepMs = 0): Promise<RunningServer> {
  return startServer({
    dbPath,
    args: ['--retention-days', '1'],
    env: { NODE_OPTIONS: `--require ${preload}`, AUTHBIN_CLOCK_OFFSET_MS: String(offsetMs), AUTHBIN_CLOCK_STEP_MS: String(stepMs) },
  });
}

async function captureAll(url: string, bin: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const response = await fetch(`${url}/b/${bin}`, { method: 'POST', body: `${bin} ${i}` });
    expect(response.status).toBe(200);
    ids.push(((await response.json()) as { id: string }).id);
  }
  return ids;
}

/** Reads a bin's event stream (from `lastEventId` when given) until `count` requests came; their ids. */
async function streamedIds(url: string, bin: string, count: number, lastEventId?: string, during?: () => Promise<void>): Promise<string[]> {
  const abort = new AbortController();
  const response = await fetch(`${url}/api/bins/${bin}/events`, { headers: lastEventId ? { 'Last-Event-ID': lastEventId } : {}, signal: abort.signal });
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = '';
  const ids = () => [...text.matchAll(/^event: request\nid: (\d+)$/gm)].map((match) => match[1]!);
  let started = false;
  while (ids().length < count) {
    const { value, done } = await reader.read();
    if (done) break;
    text += value;
    if (!started && text.includes('event: ready')) {
      started = true;
      await during?.();
    }
  }
  abort.abort();
  return ids();
}

/** Lets the sweep retention runs at start finish. */
const sweepSettles = () => new Promise((resolve) => setTimeout(resolve, 1_500));

describe('the wall clock stepping back', () => {
  let server: RunningServer | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await server?.stop();
    server = undefined;
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('keeps ordering by id, lets an event stream resume without gap or repeat, and retention deletes nothing younger than its limit', async () => {
    dir = mkdtempSync(join(tmpdir(), 'authbin-clock-'));
    const dbPath = join(dir, 'authbin.db');

    // Stamped three days ago by a clock running behind: past the 1-day limit, the control that retention runs.
    server = await startWithClock(dbPath, -3 * day);
    await captureAll(server.url, 'stamped-old', 5);
    expect(await server.stop()).toBe(0);

    // A clock two days ahead, corrected (stepped back two days) while captures and a live stream go on.
    server = await startWithClock(dbPath, 2 * day, 2 * day);
    await sweepSettles();
    expect(await binCount(server.url, 'stamped-old')).toBe(0);
    const { url } = server;
    let before: string[] = [];
    let after: string[] = [];
    const live = await streamedIds(url, 'clock', 20, undefined, async () => {
      before = await captureAll(url, 'clock', 10);
      server!.process.kill('SIGUSR2');
      await expect.poll(() => server!.output()).toContain('clock-step: stepped back');
      after = await captureAll(url, 'clock', 10);
    });
    const all = [...before, ...after];
    expect(live).toEqual(all);
    // A client that saw the fifth resumes from it: the other fifteen, once each, in id order.
    expect(await streamedIds(url, 'clock', 15, before[4])).toEqual(all.slice(5));
    // Newest first by id, though those after the step were stamped two days earlier than those before it.
    const page = await getJson<RequestPage>(`${url}/api/bins/clock/requests?limit=50`);
    expect(page.requests.map((request) => request.id)).toEqual([...all].reverse());
    const stampedAfter = page.requests[0]!.receivedAt;
    const stampedBefore = page.requests.at(-1)!.receivedAt;
    expect(Date.parse(String(stampedBefore)) - Date.parse(String(stampedAfter))).toBeGreaterThan(1.9 * day);
    expect(await server.stop()).toBe(0);

    // Started again with the clock 1.5 days ahead again: those stamped after the step look 1.5 days old, though
    // seconds old in truth. Retention deletes only a prefix by id, and the ones before them are fresh: all kept.
    server = await startWithClock(dbPath, 1.5 * day);
    await sweepSettles();
    expect(await binCount(server.url, 'clock')).toBe(20);
    expect(await server.stop()).toBe(0);
    server = undefined;
    report(
      'wall clock stepped back 2 days under load (a fake clock, Date.now only): 20 captures listed newest first by id across the step, the live stream and a resume from Last-Event-ID ' +
        'exact (15 of 15, no repeat); retention (1 day) deleted the 5 requests stamped 3 days old, and none of the 20 seconds-old ones, not even the 10 stamped 1.5 days before a clock that ran ahead again',
    );
  });
});
