import Database from 'better-sqlite3';
import fc from 'fast-check';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tsQuery, searchVector } from '../../server/store/postgres/search-terms.ts';
import { searchTerms } from '../../server/store/request-filter.ts';
import { searchDocument } from '../../server/store/search.ts';
import { ftsMatch } from '../../server/store/sqlite/search-terms.ts';
import type { RequestFilter } from '../../server/store/store.ts';
import { testEngines, type TestEngine } from '../helpers/app.ts';
import { captured } from '../helpers/captured.ts';

const postgres = testEngines().find((engine): engine is TestEngine => engine.name === 'postgres');

/** Words of letters and digits (one longer than a PostgreSQL lexeme is kept), between characters that are query syntax to FTS5 or tsquery. */
const word = fc.oneof(fc.stringMatching(/^[a-zA-Z0-9éü]{1,12}$/), fc.constant('x'.repeat(600)));
const syntax = fc.constantFrom(' ', '"', "'", '\\', '*', ':', '(', ')', '&', '|', '!', '-', ' AND ', ' NOT ', ' OR ', 'NEAR(', '^');
const text = fc.array(fc.tuple(syntax, word), { minLength: 1, maxLength: 5 }).map((parts) => parts.flat().join(''));
/** A filter, and a request that holds what it asks for: its words in the path, its header, its method. */
const filterAndRequest = fc.record({ q: text, headerValue: text, method: fc.constantFrom('POST', 'PROPFIND', 'M-SEARCH') }).map(({ q, headerValue, method }) => ({
  filter: { q, method, header: { name: 'X-Note', value: headerValue } } satisfies RequestFilter,
  request: { ...captured('bin-1', { method, path: `/${q}`, headers: [['X-Note', headerValue]] }), id: '1' },
}));

describe('a filter as search terms', () => {
  it('renders into a query FTS5 accepts that finds the request holding what the filter asks for, and not one of another bin', () => {
    const db = new Database(':memory:');
    db.exec("CREATE VIRTUAL TABLE request_search USING fts5(document, content='', contentless_delete=1, detail=none, tokenize='unicode61 remove_diacritics 0')");
    const index = db.prepare('INSERT INTO request_search (rowid, document) VALUES (?, ?)');
    const match = db.prepare('SELECT rowid FROM request_search WHERE request_search MATCH ? ORDER BY rowid').pluck();
    fc.assert(
      fc.property(filterAndRequest, ({ filter, request }) => {
        db.exec('DELETE FROM request_search');
        index.run(1, searchDocument(request));
        index.run(2, searchDocument({ ...request, bin: 'bin-2', id: '2' }));
        expect(match.all(ftsMatch(searchTerms(filter, 'bin-1')!))).toEqual([1]);
      }),
    );
    db.close();
  });

  describe.runIf(postgres)('on PostgreSQL', () => {
    let drop: () => Promise<void>;
    let client: pg.Client;
    beforeAll(async () => {
      const database = await postgres!.createDatabase();
      drop = database.drop;
      client = new pg.Client({ connectionString: database.db });
      await client.connect();
    });
    afterAll(async () => {
      await client.end();
      await drop();
    });

    it('renders into a tsquery that finds the request holding what the filter asks for, and not one of another bin', async () => {
      await fc.assert(
        fc.asyncProperty(filterAndRequest, async ({ filter, request }) => {
          const query = tsQuery(searchTerms(filter, 'bin-1')!);
          const { rows } = await client.query<{ same: boolean; other: boolean }>('SELECT $1::tsvector @@ $3::tsquery AS same, $2::tsvector @@ $3::tsquery AS other', [
            searchVector(request),
            searchVector({ ...request, bin: 'bin-2' }),
            query,
          ]);
          expect(rows[0]).toEqual({ same: true, other: false });
        }),
        { numRuns: 50 },
      );
    });
  });
});
