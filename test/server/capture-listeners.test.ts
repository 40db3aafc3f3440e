import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Bin, CaptureAck } from '../../shared/api.ts';
import { startTestApp, testEngines, type TestApp } from '../helpers/app.ts';

describe.each(testEngines())('a capture listener that throws, on $name', (engine) => {
  let t: TestApp;
  afterEach(async () => {
    vi.restoreAllMocks();
    await t.close();
  });

  it('is logged once per failure; the capture, the listeners after it and the server go on', async () => {
    t = await startTestApp(engine);
    const base = await t.listen();
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    t.store.onCapture(() => {
      throw new Error('listener broke');
    });
    const told: string[] = [];
    t.store.onCapture((request) => told.push(request.id));

    const ids: string[] = [];
    for (const body of ['one', 'two']) {
      const response = await fetch(`${base}/b/throwing/x`, { method: 'POST', body });
      expect(response.status).toBe(200);
      ids.push(((await response.json()) as CaptureAck).id);
    }
    // PostgreSQL tells listeners when the commit's notification comes back.
    await vi.waitFor(() => expect(told).toEqual(ids), { timeout: 5_000 });

    const failures = errors.mock.calls.filter(([line]) => String(line).includes('listener broke'));
    expect(failures.map(([line]) => line)).toEqual(ids.map((id) => `authbin: a capture listener failed on request ${id}: listener broke`));
    const bin = (await (await fetch(`${base}/api/bins/throwing`)).json()) as Bin;
    expect(bin.requestCount).toBe(2);
  });
});
