import { Hono } from 'hono';
import { stream } from 'hono/streaming';
import type { AppDeps, AppEnv } from '../app-env.ts';
import { ApiFailure } from '../errors.ts';
import type { CapturedRequest } from '../store/store.ts';
import { fromExportRecord, fromHarEntry, ImportError, toExportRecord, toHarEntry } from '../transfer/formats.ts';
import { binId } from './validate.ts';

const exportPage = 200;
/** Imports are read whole and stored in one transaction: all or nothing. */
export const maxImportBytes = 256 * 1024 * 1024;

/**
 * `GET /api/bins/{bin}/export?format=ndjson|har` streams every request of a bin, oldest first,
 * a page at a time (never the whole bin in memory); `POST /api/bins/{bin}/import` takes either back.
 */
export function transferRoutes({ store }: AppDeps) {
  return new Hono<AppEnv>()
    .get('/:bin/export', async (c) => {
      const bin = binId(c.req.param('bin'));
      const format = c.req.query('format') ?? 'ndjson';
      if (format !== 'ndjson' && format !== 'har') throw new ApiFailure(400, 'invalid_format', '"format" must be ndjson or har');
      if (!(await store.getBin(bin))) throw new ApiFailure(404, 'bin_not_found', `no bin named "${bin}"`);
      const origin = new URL(c.req.url).origin;
      c.header('Content-Type', format === 'har' ? 'application/json; charset=utf-8' : 'application/x-ndjson; charset=utf-8');
      c.header('Content-Disposition', `attachment; filename="${bin}.${format}"`);
      return stream(c, async (out) => {
        if (format === 'har') {
          await out.write(`{"log":{"version":"1.2","creator":{"name":"authbin","version":"1"},"entries":[`);
        }
        let after = '0';
        let first = true;
        for (;;) {
          const requests = await store.requestsAfter(bin, after, exportPage);
          for (const request of requests) {
            const line = format === 'har' ? `${first ? '' : ','}\n${JSON.stringify(toHarEntry(request, origin))}` : `${JSON.stringify(toExportRecord(request))}\n`;
            await out.write(line);
            first = false;
          }
          if (requests.length < exportPage || out.aborted) break;
          after = requests[requests.length - 1]!.id;
        }
        if (format === 'har') await out.write('\n]}}\n');
      });
    })
    .post('/:bin/import', async (c) => {
      const bin = binId(c.req.param('bin'));
      const text = await c.req.text();
      let requests: CapturedRequest[];
      try {
        requests = parseImport(text, bin);
      } catch (error) {
        if (error instanceof ImportError) throw new ApiFailure(400, 'invalid_import', error.message);
        throw error;
      }
      const stored = await store.importRequests(requests);
      return c.json({ imported: stored.length, ids: stored.map((r) => r.id) }, 201);
    });
}

/** A HAR file (one JSON object with `log`) or an NDJSON export (one record a line). */
function parseImport(text: string, bin: string): CapturedRequest[] {
  const trimmed = text.trim();
  if (trimmed === '') throw new ImportError('the body is empty: send an NDJSON or HAR export');
  let whole: unknown;
  try {
    whole = JSON.parse(trimmed);
  } catch {
    // More than one line of JSON: NDJSON, read below.
  }
  if (typeof whole === 'object' && whole !== null && 'log' in whole) {
    const entries = (whole as { log?: { entries?: unknown } }).log?.entries;
    if (!Array.isArray(entries)) throw new ImportError('a HAR file needs "log.entries"');
    return entries.map((entry, i) => fromHarEntry(entry, bin, `entry ${i + 1}`));
  }
  return trimmed.split('\n').map((line, i) => {
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch (error) {
      throw new ImportError(`line ${i + 1}: not valid JSON (${(error as Error).message})`);
    }
    return fromExportRecord(record, bin, `line ${i + 1}`);
  });
}
