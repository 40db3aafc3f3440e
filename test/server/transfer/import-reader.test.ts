import { describe, expect, it } from 'vitest';
import { ImportReader, maxRecordBytes, RecordTooLarge, type ImportPiece } from '../../../server/transfer/import-reader.ts';

/** Everything the reader makes of `text`, given in pieces of `size` bytes, bodies decoded. */
function read(text: string | Buffer, size = Infinity, cap = 1024) {
  const bytes = Buffer.isBuffer(text) ? text : Buffer.from(text);
  const reader = new ImportReader(cap);
  const pieces: ImportPiece[] = [];
  for (let i = 0; i < bytes.length; i += Math.min(size, bytes.length)) pieces.push(...reader.push(bytes.subarray(i, i + size)));
  pieces.push(...reader.end());
  return pieces.map((piece) =>
    piece.kind === 'record' ? { ...piece, bodies: Object.fromEntries([...piece.bodies].map(([key, body]) => [key, body.end()])) } : piece,
  );
}

const line = (body: string, extra = '') => `{"authbin":1,"method":"POST"${extra},"body":"${body}","rawHeaders":[["a","{\\"body\\":\\"x\\"}"]]}`;

describe('ImportReader', () => {
  it('reads each NDJSON line as JSON with its body aside, in pieces of any size', () => {
    const bytes = Buffer.from('hello, world: more than three bytes \xff', 'latin1');
    const file = `${line(bytes.toString('base64'))}\n\n${line('', ',"n":[1,{"body":"nested"}]')}\r\n`;
    const whole = read(file);
    expect(whole).toEqual([
      { kind: 'record', line: 1, value: { ...JSON.parse(line('')) }, bodies: { body: { bytes, length: bytes.length } } },
      { kind: 'record', line: 3, value: JSON.parse(line('', ',"n":[1,{"body":"nested"}]')), bodies: { body: { bytes: Buffer.alloc(0), length: 0 } } },
    ]);
    for (const size of [1, 2, 3, 5, 7, 64]) expect(read(file, size), `pieces of ${size}`).toEqual(whole);
  });

  it('keeps at most the cap of a body and counts all of it', () => {
    const bytes = Buffer.from(Array.from({ length: 5000 }, (_, i) => i % 251));
    const [piece] = read(line(bytes.toString('base64')), 333, 1000);
    expect(piece).toMatchObject({ kind: 'record', bodies: { body: { bytes: bytes.subarray(0, 1000), length: 5000 } } });
  });

  it('reads JSON escapes in a body as JSON.parse does, and refuses what is not base64', () => {
    for (const size of [1, 4, Infinity]) {
      expect(read(line('QUJD\\/w=='), size)[0]).toMatchObject({ bodies: { body: { bytes: Buffer.from('ABC\xff', 'latin1'), length: 4 } } });
      expect(read(line('\\u0051UJD'), size)[0]).toMatchObject({ bodies: { body: { bytes: Buffer.from('ABC'), length: 3 } } });
      for (const bad of ['\\u0141UJD', 'QU\\nJD', 'QUJD=A', 'QU JD', 'Q===', 'QUJDé']) {
        expect(read(line(bad), size)[0], bad).toMatchObject({ kind: 'record', bodies: { body: undefined } });
      }
    }
  });

  it('tells a HAR (its only key is "log") from NDJSON, even pretty-printed, and says which line is not JSON', () => {
    const har = JSON.stringify({ log: { entries: [{ request: { postData: { text: 'x' } }, body: 'not aside' }] } }, null, 2);
    for (const size of [1, 16, Infinity]) expect(read(`\ufeff${har}\n`, size)).toEqual([{ kind: 'har', value: JSON.parse(har) }]);
    expect(read(`${line('')}\nnot json\n${line('')}`)).toMatchObject([{ kind: 'record', line: 1 }, { kind: 'invalid', line: 2 }, { kind: 'record', line: 3 }]);
    expect(read('{"log": [')).toMatchObject([{ kind: 'invalid', line: 1, message: expect.stringMatching(/^not valid JSON/) }]);
    expect(read(' \n\n')).toEqual([]);
  });

  it('refuses a line that is large besides its body', () => {
    expect(() => read(line('', `,"path":"/${'a'.repeat(maxRecordBytes)}"`), 65536)).toThrow(RecordTooLarge);
    expect(read(line('QUJD'.repeat(maxRecordBytes / 2)), 65536)).toMatchObject([{ kind: 'record', bodies: { body: { length: 1.5 * maxRecordBytes } } }]);
  });
});
