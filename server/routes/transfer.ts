import { Hono } from 'hono';
import { stream } from 'hono/streaming';
import type { AppDeps, AppEnv } from '../app-deps.ts';
import { ApiFailure } from '../errors.ts';
import { SecretKeyMissing } from '../rules/secrets.ts';
import { sentSecret } from '../rules/stored-rules.ts';
import type { CapturedRequest } from '../store/store.ts';
import { fromExportRecord, fromHarEntry, ImportError, toExportRecord, toHarEntry } from '../transfer/formats.ts';
import { ImportReader, RecordTooLarge, type ImportPiece } from '../transfer/import-reader.ts';
import { fromRulesLine, isRulesLine, needsSecret, toRulesLine } from '../transfer/rules-line.ts';
import type { ImportResult } from '../../shared/api.ts';
import { secretNotExported } from '../../shared/rules/masked-secret.ts';
import type { Rule } from '../../shared/rules/types.ts';
import { binId } from './validate.ts';

const exportPage = 200;
/** Imports are stored in one transaction (all or nothing), each body capped as a capture's is. */
const maxImportBytes = 256 * 1024 * 1024;
/** A HAR file is one JSON document, parsed whole: memory follows its size, so it gets a smaller limit than NDJSON. */
const maxHarBytes = 64 * 1024 * 1024;

/**
 * `GET /api/bins/{bin}/export?format=ndjson|har` streams every request of a bin, oldest first,
 * a page at a time (never the whole bin in memory), an NDJSON export led by the bin's rules without
 * their secrets; `POST /api/bins/{bin}/import` takes either back.
 */
export function transferRoutes({ store, config }: AppDeps) {
  return new Hono<AppEnv>()
    .get('/:bin/export', async (c) => {
      const bin = binId(c.req.param('bin'));
      const format = c.req.query('format') ?? 'ndjson';
      if (format !== 'ndjson' && format !== 'har') throw new ApiFailure(400, 'invalid_format', '"format" must be ndjson or har');
      if (!(await store.getBin(bin))) throw new ApiFailure(404, 'bin_not_found', `no bin named "${bin}"`);
      const origin = new URL(c.req.url).origin;
      const rules = format === 'ndjson' ? await store.getRules(bin) : [];
      c.header('Content-Type', format === 'har' ? 'application/json; charset=utf-8' : 'application/x-ndjson; charset=utf-8');
      c.header('Content-Disposition', `attachment; filename="${bin}.${format}"`);
      return stream(c, async (out) => {
        if (format === 'har') {
          await out.write(`{"log":{"version":"1.2","creator":{"name":"authbin","version":"1"},"entries":[`);
        }
        if (rules.length > 0) await out.write(`${JSON.stringify(toRulesLine(bin, rules))}\n`);
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
      let read: ReadImport;
      try {
        // Node's own stream when served: it reads the socket only as fast as the import is parsed.
        const chunks = c.env?.incoming ?? webChunks(c.req.raw.body);
        read = await readImport(chunks, c.req.header('content-length'), bin, config.maxBodyBytes);
      } catch (error) {
        if (error instanceof ImportError || error instanceof RecordTooLarge) throw new ApiFailure(400, 'invalid_import', error.message);
        throw error;
      }
      const restoresRules = read.rules !== undefined && (await store.getRules(bin)).length === 0;
      // Checked before anything is stored: rules that bring a secret need the key to keep it.
      if (restoresRules && read.rules!.some(holdsSecret)) {
        try {
          store.ruleSecrets();
        } catch (error) {
          if (error instanceof SecretKeyMissing) throw new ApiFailure(409, 'secret_key_required', `the file's rules line holds a secret, so nothing was imported: ${error.message}`);
          throw error;
        }
      }
      const stored = await store.importRequests(read.requests);
      const result: ImportResult = { imported: stored.length, ids: stored.map((r) => r.id) };
      if (read.rules) result.rules = restoresRules ? await importRules(store, bin, read.rules) : { inFile: read.rules.length, imported: 0, needSecret: 0 };
      return c.json(result, 201);
    });
}

const tooLarge = () =>
  // The rest of the body is not read: close the connection rather than leave it half-read.
  new ApiFailure(413, 'too_large', `an import is limited to ${maxImportBytes} bytes`, { Connection: 'close' });

/**
 * An export's rules restored into a bin that has none (rules the bin has are never replaced by an
 * import), their secret-bearing conditions waiting for the secret: how many, and how many wait.
 */
async function importRules(store: AppDeps['store'], bin: string, rules: Rule[]): Promise<NonNullable<ImportResult['rules']>> {
  const inFile = rules.length;
  if (!(await store.getBin(bin))) await store.createBin(bin, null);
  await store.setRules(bin, rules, { fromExport: true });
  return { inFile, imported: inFile, needSecret: rules.filter(needsSecret).length };
}

/** Whether a rule brings a secret of its own, not the export's mark of one left out. */
function holdsSecret(rule: Rule): boolean {
  return rule.when.some((condition) => {
    const secret = sentSecret(condition);
    return secret !== null && secret !== secretNotExported;
  });
}

interface ReadImport {
  requests: CapturedRequest[];
  /** The rules line of an NDJSON export, when there is one. */
  rules?: Rule[];
}

/**
 * A HAR file or an NDJSON export (one record a line, and perhaps a rules line) as requests for `bin`,
 * each body capped at `cap`. NDJSON is read line by line as it arrives, so a huge body costs memory in
 * proportion to the cap, not to the file.
 */
async function readImport(chunks: AsyncIterable<Uint8Array>, declaredLength: string | undefined, bin: string, cap: number): Promise<ReadImport> {
  if (Number(declaredLength) > maxImportBytes) throw tooLarge();
  const reader = new ImportReader(cap);
  const read: ReadImport = { requests: [] };
  let found = false;
  const take = (pieces: ImportPiece[]) => {
    for (const piece of pieces) {
      found = true;
      if (piece.kind === 'invalid') throw new ImportError(`line ${piece.line}: ${piece.message}`);
      if (piece.kind === 'record' && isRulesLine(piece.value)) {
        if (read.rules) throw new ImportError(`line ${piece.line}: a second rules line: an export has one`);
        read.rules = fromRulesLine(piece.value, `line ${piece.line}`);
      } else if (piece.kind === 'record') read.requests.push(fromExportRecord(piece.value, bin, `line ${piece.line}`, cap, piece.bodies));
      else read.requests.push(...harRequests(piece.value, bin, cap));
    }
  };
  // Read by hand rather than with for-await, which would destroy the socket (and the answer) on a throw.
  const iterator = chunks[Symbol.asyncIterator]();
  let size = 0;
  for (;;) {
    const chunk = await iterator.next();
    if (chunk.done) break;
    size += chunk.value.byteLength;
    if (size > maxImportBytes) throw tooLarge();
    take(reader.push(Buffer.from(chunk.value.buffer, chunk.value.byteOffset, chunk.value.byteLength)));
    // Checked after the chunk is read: its first key tells a HAR file, which is parsed only at the end.
    if (size > maxHarBytes && reader.format === 'har') {
      throw new ApiFailure(413, 'too_large', `a HAR import is parsed whole, so it is limited to ${maxHarBytes} bytes: export the bin as NDJSON (?format=ndjson), which is read as it streams, for larger ones`, {
        Connection: 'close',
      });
    }
  }
  take(reader.end());
  if (!found) throw new ImportError('the body is empty: send an NDJSON or HAR export');
  return read;
}

async function* webChunks(body: ReadableStream<Uint8Array> | null): AsyncIterable<Uint8Array> {
  const reader = body?.getReader();
  for (;;) {
    const chunk = await reader?.read();
    if (!chunk || chunk.done) return;
    yield chunk.value;
  }
}

function harRequests(har: unknown, bin: string, cap: number): CapturedRequest[] {
  const entries = (har as { log?: { entries?: unknown } }).log?.entries;
  if (!Array.isArray(entries)) throw new ImportError('a HAR file needs "log.entries"');
  return entries.map((entry, i) => fromHarEntry(entry, bin, `entry ${i + 1}`, cap));
}
