// Fills a database in its own process (`node dist/bench/fill.js PATH BIN ROWS`), so that a failure in
// the store breaks the section that needs the database rather than the whole bench.
import { fillBin } from './database.ts';

const [path, bin, rows] = process.argv.slice(2);
if (!path || !bin || !/^\d+$/.test(rows ?? '')) {
  console.error('usage: node dist/bench/fill.js PATH BIN ROWS');
  process.exit(2);
}
await fillBin(path, bin, Number(rows), (message) => console.log(message));
// The store is closed; a timer it left behind must not keep the process alive.
process.exit(0);
